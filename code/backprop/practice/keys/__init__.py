"""Numeric answer keys of the self-check questions, one module per chapter.

A numeric question of ``quizzes/NAME.json`` names its key, and every value it
expects a reader might give by mistake, as functions of the module
``backprop.practice.keys.NAME``: each takes no argument and computes its
value with the package, so that no answer key is typed.
"""
