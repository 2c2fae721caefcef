-- The daily operating metrics that alerts watch and analysts chart (days in UTC).
-- Counts are zero-filled per channel from the first day seen to today, so a channel that
-- went silent shows as 0 rather than as a missing row.
with messages as (

    select * from {{ ref('fct_messages') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

dated as (

    select
        cast({{ dbt.date_trunc('day', 'sent_at') }} as date) as metric_day,
        channel,
        direction,
        source_id,
        lead_id,
        sent_at,
        sentiment_score,
        delivery_status
    from messages
    where sent_at is not null

),

days as (

    select cast(day as date) as metric_day
    from generate_series(
        (select min(metric_day) from dated), current_date, interval '1 day'
    ) as day

),

channels as (

    select distinct channel from dated

),

message_volume as (

    select
        days.metric_day,
        'message_volume' as metric,
        channels.channel as dimension,
        count(dated.sent_at) as value,
        count(dated.sent_at) as volume
    from days
    cross join channels
    left join dated
        on days.metric_day = dated.metric_day
        and channels.channel = dated.channel
        and dated.direction = 'inbound'
    group by 1, 2, 3

),

failed_sends as (

    select
        days.metric_day,
        'failed_sends' as metric,
        channels.channel as dimension,
        count(case when dated.delivery_status = 'failed' then 1 end) as value,
        count(dated.sent_at) as volume
    from days
    cross join channels
    left join dated
        on days.metric_day = dated.metric_day
        and channels.channel = dated.channel
        and dated.direction = 'outbound'
    group by 1, 2, 3

),

negative_share as (

    select
        metric_day,
        'negative_share' as metric,
        'all' as dimension,
        avg(
            case when sentiment_score <= {{ var('negative_sentiment_at_or_below') }} then 1.0
            else 0.0 end
        ) as value,
        count(*) as volume
    from dated
    where direction = 'inbound' and sentiment_score is not null
    group by 1, 2, 3

),

-- each person's first message of a day, answered by our first message after it (24 h)
first_asks as (

    select metric_day, channel, source_id, min(sent_at) as asked_at
    from dated
    where direction = 'inbound'
    group by 1, 2, 3

),

answered as (

    select
        first_asks.metric_day,
        {{ dbt.datediff('first_asks.asked_at', 'min(dated.sent_at)', 'second') }} as seconds
    from first_asks
    inner join dated
        on first_asks.channel = dated.channel
        and first_asks.source_id = dated.source_id
        and dated.direction = 'outbound'
        and dated.sent_at >= first_asks.asked_at
        and dated.sent_at < {{ dbt.dateadd('hour', 24, 'first_asks.asked_at') }}
    group by first_asks.metric_day, first_asks.channel, first_asks.source_id, first_asks.asked_at

),

first_response as (

    select
        metric_day,
        'median_first_response_seconds' as metric,
        'all' as dimension,
        percentile_cont(0.5) within group (order by seconds) as value,
        count(*) as volume
    from answered
    group by 1, 2, 3

),

active_leads as (

    select metric_day, count(distinct lead_id) as leads
    from dated
    where direction = 'inbound' and lead_id is not null
    group by 1

),

new_customers as (

    select cast({{ dbt.date_trunc('day', 'first_purchase_at') }} as date) as metric_day,
        count(*) as customers
    from customers
    group by 1

),

conversion as (

    select
        active_leads.metric_day,
        'conversion_rate' as metric,
        'all' as dimension,
        cast(coalesce(new_customers.customers, 0) as {{ dbt.type_float() }})
            / active_leads.leads as value,
        active_leads.leads as volume
    from active_leads
    left join new_customers on active_leads.metric_day = new_customers.metric_day

),

unioned as (

    select * from message_volume
    union all
    select * from failed_sends
    union all
    select * from negative_share
    union all
    select * from first_response
    union all
    select * from conversion

),

final as (

    select
        {{ dbt.concat([
            "metric", "':'", "dimension", "':'",
            "cast(metric_day as " ~ dbt.type_string() ~ ")",
        ]) }} as metric_key,
        metric_day,
        metric,
        dimension,
        cast(value as {{ dbt.type_float() }}) as value,
        cast(volume as {{ dbt.type_bigint() }}) as volume
    from unioned

)

select * from final
