{#- Point-in-time features of open conversations ("deals"), shared by the close-probability
    training set and the conversations the scoring asset reads.

    `conversation_cutoffs` names a CTE with (conversation_id, lead_id, cutoff_at). Emits
    CTEs ending in `deal_features`: the conversation's own messages up to cutoff_at plus the
    lead's features at that moment (lead_features_ctes, prefixed lead_). -#}
{% macro conversation_features_ctes(conversation_cutoffs) -%}

cf_lead_cutoffs as (

    select distinct lead_id, cutoff_at from {{ conversation_cutoffs }}

),

{{ lead_features_ctes('cf_lead_cutoffs') }},

cf_conversation_features as (

    select
        cc.conversation_id,
        cc.cutoff_at,
        min(m.channel) as channel,
        count(*) as conversation_messages,
        sum(case when m.direction = 'inbound' then 1 else 0 end) as conversation_inbound,
        sum(case when {{ ml_buying_intent('m.intent') }} then 1 else 0 end)
            as conversation_buying_intents,
        {{ dbt.datediff('min(m.sent_at)', 'cc.cutoff_at', 'minute') }} / 60.0
            as conversation_age_hours,
        {{ dbt.datediff('max(m.sent_at)', 'cc.cutoff_at', 'minute') }} / 60.0
            as hours_since_last_message
    from {{ conversation_cutoffs }} as cc
    inner join {{ ref('fct_messages') }} as m
        on cc.conversation_id = m.conversation_id
        and m.sent_at <= cc.cutoff_at
    group by 1, 2

),

deal_features as (

    select
        cc.conversation_id,
        cc.lead_id,
        cc.cutoff_at,
        cf.channel,
        cf.conversation_messages,
        cf.conversation_inbound,
        cf.conversation_buying_intents,
        cf.conversation_age_hours,
        cf.hours_since_last_message,
        lf.inbound_messages as lead_inbound_messages,
        lf.conversations as lead_conversations,
        lf.replied_messages as lead_replied_messages,
        lf.avg_response_minutes as lead_avg_response_minutes,
        lf.buying_intents as lead_buying_intents,
        lf.avg_sentiment as lead_avg_sentiment,
        lf.orders_before as lead_orders_before,
        lf.days_since_first_message as lead_days_since_first_message
    from {{ conversation_cutoffs }} as cc
    inner join cf_conversation_features as cf
        on cc.conversation_id = cf.conversation_id and cc.cutoff_at = cf.cutoff_at
    inner join lead_features as lf
        on cc.lead_id = lf.lead_id and cc.cutoff_at = lf.cutoff_at

)
{%- endmacro %}
