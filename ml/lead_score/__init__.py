"""Lead score: P(a lead orders within the horizon), 0-100, tiered, with its reasons.

`features` reads the dbt training set and current features, `prior` scores by documented
rules until enough outcomes exist, `train` fits and registers `crm-lead-score`, `score`
writes every lead's score to `ml.lead_scores`.
"""
