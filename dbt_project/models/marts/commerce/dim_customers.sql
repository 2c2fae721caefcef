-- One lead with a purchase (a paid order that was not cancelled, refunded ones included).
-- RFM scores 1-5 are ntile(5) quintiles over all customers (recency by last purchase,
-- frequency by order count, monetary by lifetime value; 5 = best); tied values share the
-- lowest quintile of their tie so that, e.g., every one-order customer gets the same F.
with orders as (

    select * from {{ ref('fct_orders') }}

),

as_of as (

    select max(last_event_at) as as_of_at from orders

),

purchases as (

    select * from orders
    where status in ('paid', 'refunded')
        and lead_id is not null

),

customers as (

    select
        lead_id,
        min(created_at) as first_purchase_at,
        max(created_at) as last_purchase_at,
        count(*) as order_count,
        sum(net_amount) as lifetime_value,
        min(currency) as currency,
        count(distinct currency) as currency_count
    from purchases
    group by 1

),

tiles as (

    select
        *,
        ntile(5) over (order by last_purchase_at, lead_id) as recency_tile,
        ntile(5) over (order by order_count, lead_id) as frequency_tile,
        ntile(5) over (order by lifetime_value, lead_id) as monetary_tile
    from customers

),

scores as (

    select
        *,
        min(recency_tile) over (partition by last_purchase_at) as recency_score,
        min(frequency_tile) over (partition by order_count) as frequency_score,
        min(monetary_tile) over (partition by lifetime_value) as monetary_score
    from tiles

),

final as (

    select
        {{ key(["'customer'", 'scores.lead_id']) }} as customer_id,
        scores.lead_id,
        scores.first_purchase_at,
        scores.last_purchase_at,
        scores.order_count,
        scores.lifetime_value,
        case
            when recency_score >= 4 and frequency_score >= 4 and monetary_score >= 4
                then 'champion'
            when frequency_score >= 4 and recency_score >= 3 then 'loyal'
            when order_count = 1 and recency_score >= 4 then 'new'
            when recency_score >= 3 then 'promising'
            when frequency_score >= 3 or monetary_score >= 4 then 'at_risk'
            else 'hibernating'
        end as segment,
        scores.recency_score,
        scores.frequency_score,
        scores.monetary_score,
        {{ dbt.datediff('scores.last_purchase_at', 'as_of.as_of_at', 'day') }} as recency_days,
        scores.currency,
        scores.currency_count,
        as_of.as_of_at
    from scores
    cross join as_of

)

select * from final
