"""What the pipeline's enrichment reads: the clean identities and each one's own messages.

Only the latest inbound messages (`LATEST_MESSAGES`) are passed on for language
detection: enough text to decide, bounded cost for a lead with a long history.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

LATEST_MESSAGES = 20

IDENTITIES = sa.text(
    """
    with inbound as (
        select
            source,
            source_id,
            text,
            row_number() over (
                partition by source, source_id order by sent_at desc, message_id desc
            ) as recency
        from intermediate.int_messages_unioned
        where direction = 'inbound' and text is not null
    ),

    messages as (
        select
            source,
            source_id,
            string_agg(text, ' ' order by recency) filter (where recency <= :latest) as texts,
            count(*) as message_count
        from inbound
        group by 1, 2
    )

    select
        clean.source,
        clean.source_id,
        case when clean.phone_valid then clean.phone_e164 end as phone_e164,
        clean.email,
        clean.country_code,
        clean.company,
        messages.texts,
        coalesce(messages.message_count, 0) as message_count
    from ml.clean_identities as clean
    left join messages
        on clean.source = messages.source and clean.source_id = messages.source_id
    order by clean.source, clean.source_id
    """
)


def read_identities(engine: sa.Engine) -> pd.DataFrame:
    """Every clean identity with its latest inbound texts (joined) and message count."""
    with engine.connect() as connection:
        frame = pd.read_sql(IDENTITIES, connection, params={"latest": LATEST_MESSAGES})
    return frame.astype(object).where(frame.notna(), None)
