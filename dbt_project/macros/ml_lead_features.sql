{#- Point-in-time lead features, shared by the lead-score and close-probability training
    sets and by the current features the scoring asset reads (one definition, so training
    and scoring can never drift apart).

    `cutoffs` names a CTE in scope with columns (lead_id, cutoff_at). The macro emits CTEs
    ending in `lead_features`: one row per (lead_id, cutoff_at) built only from messages
    sent and orders created at or before cutoff_at. A reply counts only if it, too, was sent
    by the cut-off. Intents and sentiment come from fct_messages (null until classified). -#}
{% macro lead_features_ctes(cutoffs) -%}

lf_messages as (

    select
        lead_id,
        conversation_id,
        channel,
        direction,
        sent_at,
        intent,
        sentiment_score,
        case
            when direction = 'inbound'
                and lead(direction) over conversation = 'outbound'
                then lead(sent_at) over conversation
        end as replied_at
    from {{ ref('fct_messages') }}
    where lead_id is not null
    window conversation as (partition by conversation_id order by sent_at, message_id)

),

lf_message_features as (

    select
        cutoffs.lead_id,
        cutoffs.cutoff_at,
        sum(case when m.direction = 'inbound' then 1 else 0 end) as inbound_messages,
        sum(case when m.direction = 'outbound' then 1 else 0 end) as outbound_messages,
        sum(case when m.direction = 'inbound'
            and m.sent_at > {{ dbt.dateadd('day', -7, 'cutoffs.cutoff_at') }} then 1 else 0 end)
            as inbound_last_7d,
        sum(case when m.direction = 'inbound'
            and m.sent_at > {{ dbt.dateadd('day', -1, 'cutoffs.cutoff_at') }} then 1 else 0 end)
            as inbound_last_1d,
        sum(case when m.replied_at <= cutoffs.cutoff_at then 1 else 0 end) as replied_messages,
        avg(case when m.replied_at <= cutoffs.cutoff_at
            then {{ dbt.datediff('m.sent_at', 'm.replied_at', 'second') }} / 60.0 end)
            as avg_response_minutes,
        count(distinct m.conversation_id) as conversations,
        count(distinct m.channel) as channels,
        max(case when m.channel = 'whatsapp' then 1 else 0 end) as on_whatsapp,
        max(case when m.channel = 'instagram' then 1 else 0 end) as on_instagram,
        max(case when m.channel = 'messenger' then 1 else 0 end) as on_messenger,
        sum(case when {{ ml_buying_intent('m.intent') }} then 1 else 0 end) as buying_intents,
        sum(case when m.intent in ('complaint', 'cancellation_refund') then 1 else 0 end)
            as complaint_intents,
        avg(m.sentiment_score) as avg_sentiment,
        {{ dbt.datediff('min(m.sent_at)', 'cutoffs.cutoff_at', 'hour') }} / 24.0
            as days_since_first_message,
        {{ dbt.datediff("max(case when m.direction = 'inbound' then m.sent_at end)",
            'cutoffs.cutoff_at', 'hour') }} / 24.0 as days_since_last_inbound
    from {{ cutoffs }} as cutoffs
    inner join lf_messages as m
        on cutoffs.lead_id = m.lead_id
        and m.sent_at <= cutoffs.cutoff_at
    group by 1, 2

),

lf_order_features as (

    select
        cutoffs.lead_id,
        cutoffs.cutoff_at,
        count(*) as orders_before,
        sum(o.total_price) as spend_before,
        {{ dbt.datediff('max(o.created_at)', 'cutoffs.cutoff_at', 'hour') }} / 24.0
            as days_since_last_order
    from {{ cutoffs }} as cutoffs
    inner join {{ ref('fct_orders') }} as o
        on cutoffs.lead_id = o.lead_id
        and o.created_at <= cutoffs.cutoff_at
    group by 1, 2

),

lead_features as (

    select
        cutoffs.lead_id,
        cutoffs.cutoff_at,
        coalesce(mf.inbound_messages, 0) as inbound_messages,
        coalesce(mf.outbound_messages, 0) as outbound_messages,
        coalesce(mf.inbound_last_7d, 0) as inbound_last_7d,
        coalesce(mf.inbound_last_1d, 0) as inbound_last_1d,
        coalesce(mf.replied_messages, 0) as replied_messages,
        mf.avg_response_minutes,
        coalesce(mf.conversations, 0) as conversations,
        coalesce(mf.channels, 0) as channels,
        coalesce(mf.on_whatsapp, 0) as on_whatsapp,
        coalesce(mf.on_instagram, 0) as on_instagram,
        coalesce(mf.on_messenger, 0) as on_messenger,
        coalesce(mf.buying_intents, 0) as buying_intents,
        coalesce(mf.complaint_intents, 0) as complaint_intents,
        mf.avg_sentiment,
        mf.days_since_first_message,
        mf.days_since_last_inbound,
        coalesce(ordf.orders_before, 0) as orders_before,
        coalesce(ordf.spend_before, 0) as spend_before,
        ordf.days_since_last_order
    from {{ cutoffs }} as cutoffs
    left join lf_message_features as mf
        on cutoffs.lead_id = mf.lead_id and cutoffs.cutoff_at = mf.cutoff_at
    left join lf_order_features as ordf
        on cutoffs.lead_id = ordf.lead_id and cutoffs.cutoff_at = ordf.cutoff_at

)
{%- endmacro %}


{#- Intents that say the lead is about to buy: what `buying_intents` features count. -#}
{% macro ml_buying_intent(intent_column) -%}
    {{ intent_column }} in ('price_inquiry', 'purchase_intent', 'payment')
{%- endmacro %}


{#- The label of a training set: 1 when the lead placed a (not cancelled) order in the
    `horizon_var` days after cutoff_at, else 0, as column `label`; one row per (`key`,
    cutoff_at) of `cutoffs`, a CTE with columns (`key`, lead_id, cutoff_at). -#}
{% macro ml_order_label(cutoffs, key, horizon_var, label) -%}
    select
        {{ cutoffs }}.{{ key }},
        {{ cutoffs }}.cutoff_at,
        case when count(orders.order_id) > 0 then 1 else 0 end as {{ label }}
    from {{ cutoffs }}
    left join {{ ref('fct_orders') }} as orders
        on {{ cutoffs }}.lead_id = orders.lead_id
        and orders.created_at > {{ cutoffs }}.cutoff_at
        and orders.created_at
            <= {{ dbt.dateadd('day', var(horizon_var), cutoffs ~ '.cutoff_at') }}
        and orders.status != 'cancelled'
    group by 1, 2
{%- endmacro %}


{#- The data's "now": the newest message or order (not the wall clock, so the same data
    always builds the same training set). -#}
{% macro ml_as_of() -%}
    select greatest(
        (select max(sent_at) from {{ ref('fct_messages') }}),
        (select max(created_at) from {{ ref('fct_orders') }})
    ) as as_of_at
{%- endmacro %}


{#- Daily (var ml_cutoff_step_days) cut-offs whose label window of `horizon_var` days has
    fully passed by the data's as_of, newest first, at most var ml_max_cutoffs of them. -#}
{% macro ml_cutoff_dates(horizon_var) -%}
    select cast(
        {{ dbt.date_trunc('day', dbt.dateadd('day', -1 * var(horizon_var), 'as_of.as_of_at')) }}
        - step.n * interval '{{ var("ml_cutoff_step_days") }} day' as timestamp with time zone
    ) as cutoff_at
    from as_of
    cross join generate_series(0, {{ var('ml_max_cutoffs') - 1 }}) as step (n)
{%- endmacro %}


{#- Pre-hook of the ML models: their point-in-time joins group by (lead, cut-off) in CTEs
    whose row counts Postgres estimates as 1, and the nested loops it then picks took 27 s
    instead of under 2 s on the demo. Hash joins only, for this model's transaction. -#}
{% macro ml_hash_joins_only() -%}
    {%- if target.type == 'postgres' -%}
        set local enable_nestloop = off
    {%- endif -%}
{%- endmacro %}
