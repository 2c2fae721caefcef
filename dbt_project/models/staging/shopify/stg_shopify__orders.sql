-- Latest state per order: the event with the latest occurred_at wins (then the latest
-- landing id), whatever order the webhooks arrived in. paid_at and cancelled_at come from
-- the orders/paid and orders/cancelled events (cancelled_at from the payload when it has one).
with events as (

    {{ shopify_events(['orders/create', 'orders/paid', 'orders/cancelled'], 'order_id', 'id', 'updated_at') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by order_id order by event_at desc, event_key desc
        ) as recency,
        min(case when topic = 'orders/paid' then event_at end)
            over (partition by order_id) as paid_event_at,
        min(case when topic = 'orders/cancelled' then event_at end)
            over (partition by order_id) as cancelled_event_at,
        count(*) over (partition by order_id) as event_count,
        min(event_at) over (partition by order_id) as first_event_at,
        max(event_at) over (partition by order_id) as last_event_at
    from events

),

latest as (

    select * from ranked
    where recency = 1

),

renamed as (

    select
        order_id,
        nullif(body ->> 'name', '') as order_name,
        {{ shopify_customer_columns() }}
        cast(body ->> 'total_price' as {{ dbt.type_numeric() }}) as total_price,
        upper(body ->> 'currency') as currency,
        body ->> 'financial_status' as financial_status,
        nullif(body ->> 'checkout_token', '') as checkout_token,
        cast(body ->> 'created_at' as timestamp with time zone) as created_at,
        cast(body ->> 'updated_at' as timestamp with time zone) as updated_at,
        paid_event_at as paid_at,
        coalesce(
            cast(body ->> 'cancelled_at' as timestamp with time zone), cancelled_event_at
        ) as cancelled_at,
        body ->> 'cancel_reason' as cancel_reason,
        coalesce(jsonb_array_length(body -> 'line_items'), 0) as line_item_count,
        topic as last_topic,
        shop_domain,
        event_count,
        first_event_at,
        last_event_at
    from latest

)

select * from renamed
