-- One row per lead per cut-off: what was known about the lead at cut-off_at (features,
-- from events at or before it) and whether it ordered in the next
-- {{ var('ml_horizon_days') }} days (label, from orders after it). A lead enters a
-- cut-off only once it has written or ordered by then; cut-offs stop where the label
-- window would run past the data's newest event, so every label is complete.
with as_of as (

    {{ ml_as_of() }}

),

cutoff_dates as (

    {{ ml_cutoff_dates('ml_horizon_days') }}

),

first_seen as (

    select lead_id, min(seen_at) as first_seen_at
    from (
        select lead_id, sent_at as seen_at from {{ ref('fct_messages') }}
        union all
        select lead_id, created_at as seen_at from {{ ref('fct_orders') }}
    ) as activity
    where lead_id is not null
    group by 1

),

cutoffs as (

    select first_seen.lead_id, cutoff_dates.cutoff_at
    from cutoff_dates
    inner join first_seen on first_seen.first_seen_at <= cutoff_dates.cutoff_at

),

{{ lead_features_ctes('cutoffs') }},

labels as (

    {{ ml_order_label('cutoffs', 'lead_id', 'ml_horizon_days', 'converted') }}

),

final as (

    select
        lead_features.*,
        labels.converted
    from lead_features
    inner join labels
        on lead_features.lead_id = labels.lead_id
        and lead_features.cutoff_at = labels.cutoff_at

)

select * from final
