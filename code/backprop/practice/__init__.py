"""Practice that answers back: self-check questions and checked code exercises.

- ``quiz(chapter, id)``: a self-check question from ``quizzes/CHAPTER.json``,
  shown as an interactive question in Jupyter, Colab and on the book's site;
  ``answers(chapter)``: the chapter's answer key (printed in the PDF);
- ``check(name, function)``: runs a reader's function against the book's
  reference on several random cases and names the first mistake it finds
  (``exercises.EXERCISES`` lists the exercises, ``checker`` is the machinery).
"""

from .exercises import check
from .selfcheck import answers, quiz

__all__ = ["answers", "check", "quiz"]
