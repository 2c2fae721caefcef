"""Calibrated binary classifiers on dbt training sets, shared by lead score and close probability.

`pipeline` builds the model and explains single rows, `evaluate` picks the time holdout and
measures it, `training` runs train → evaluate → log → register for one model.
"""
