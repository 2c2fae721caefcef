-- One row per conversation open at a cut-off (its last message by then is less than
-- {{ var('conversation_gap_hours') }} h old): what was known at cut-off_at and whether
-- the lead ordered in the next {{ var('ml_close_horizon_days') }} days (closed = 1).
-- Cut-offs stop where that window would run past the data's newest event.
with as_of as (

    {{ ml_as_of() }}

),

cutoff_dates as (

    {{ ml_cutoff_dates('ml_close_horizon_days') }}

),

conversations as (

    select * from {{ ref('fct_conversations') }}

),

candidates as (

    select conversations.conversation_id, conversations.lead_id, cutoff_dates.cutoff_at
    from conversations
    inner join cutoff_dates
        on conversations.started_at <= cutoff_dates.cutoff_at
        and conversations.last_message_at > {{ dbt.dateadd(
            'hour', -1 * var('conversation_gap_hours'), 'cutoff_dates.cutoff_at') }}
    where conversations.lead_id is not null

),

open_at_cutoff as (

    select candidates.*
    from candidates
    where exists (
        select 1 from {{ ref('fct_messages') }} as m
        where m.conversation_id = candidates.conversation_id
            and m.sent_at <= candidates.cutoff_at
            and m.sent_at > {{ dbt.dateadd(
                'hour', -1 * var('conversation_gap_hours'), 'candidates.cutoff_at') }}
    )

),

{{ conversation_features_ctes('open_at_cutoff') }},

labels as (

    {{ ml_order_label('open_at_cutoff', 'conversation_id', 'ml_close_horizon_days', 'closed') }}

),

final as (

    select
        deal_features.*,
        labels.closed
    from deal_features
    inner join labels
        on deal_features.conversation_id = labels.conversation_id
        and deal_features.cutoff_at = labels.cutoff_at

)

select * from final
