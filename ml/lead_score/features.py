"""What the lead score reads: dbt's point-in-time training set and the current features.

Both come from the same dbt macro (`lead_features_ctes`), so a model trained on
`ml_training.ml_training__lead_conversion` sees exactly the columns scoring gives it from
`ml_training.ml_scoring__lead_features`.
"""

from __future__ import annotations

from ml.tabular.pipeline import FeatureSpec

MODEL_NAME = "crm-lead-score"
TRAINING_TABLE = "ml_training.ml_training__lead_conversion"
CURRENT_TABLE = "ml_training.ml_scoring__lead_features"
LABEL = "converted"

# "never" for a lead with no such event: further back than any cut-off window looks
NEVER_DAYS = 90.0

SPEC = FeatureSpec(
    columns=(
        "inbound_messages",
        "outbound_messages",
        "inbound_last_7d",
        "inbound_last_1d",
        "replied_messages",
        "avg_response_minutes",
        "conversations",
        "channels",
        "on_whatsapp",
        "on_instagram",
        "on_messenger",
        "buying_intents",
        "complaint_intents",
        "avg_sentiment",
        "days_since_first_message",
        "days_since_last_inbound",
        "orders_before",
        "spend_before",
        "days_since_last_order",
    ),
    fill={
        "avg_response_minutes": 24 * 60.0,
        "days_since_first_message": 0.0,
        "days_since_last_inbound": NEVER_DAYS,
        "days_since_last_order": NEVER_DAYS,
    },
)
