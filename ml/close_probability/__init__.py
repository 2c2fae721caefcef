"""Close probability: P(an open conversation ends in an order within the close horizon).

`features` names the deal features of dbt's `ml_training__deal_close`, `train` registers
`crm-close-probability`, `score` gives calibrated probabilities with reasons.
"""
