"""What close probability reads: dbt's open-conversation training set and open deals now.

Both tables come from the dbt macro `conversation_features_ctes`, so training and scoring
see the same columns.
"""

from __future__ import annotations

from ml.tabular.pipeline import FeatureSpec

MODEL_NAME = "crm-close-probability"
TRAINING_TABLE = "ml_training.ml_training__deal_close"
CURRENT_TABLE = "ml_training.ml_scoring__open_conversations"
LABEL = "closed"

SPEC = FeatureSpec(
    columns=(
        "conversation_messages",
        "conversation_inbound",
        "conversation_buying_intents",
        "conversation_age_hours",
        "hours_since_last_message",
        "lead_inbound_messages",
        "lead_conversations",
        "lead_replied_messages",
        "lead_avg_response_minutes",
        "lead_buying_intents",
        "lead_avg_sentiment",
        "lead_orders_before",
        "lead_days_since_first_message",
    ),
    fill={"lead_avg_response_minutes": 24 * 60.0},
)
