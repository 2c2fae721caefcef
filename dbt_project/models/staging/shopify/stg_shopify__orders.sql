-- Latest state per order: the event with the latest occurred_at wins (then the latest
-- landing id), whatever order the webhooks arrived in. paid_at and cancelled_at come from
-- the orders/paid and orders/cancelled events (cancelled_at from the payload when it has one).
with source as (

    select * from {{ source('raw', 'commerce_events') }}
    where source = 'shopify'
        and topic in ('orders/create', 'orders/paid', 'orders/cancelled')

),

events as (

    select
        id as event_key,
        topic,
        coalesce(resource_id, body ->> 'id') as order_id,
        coalesce(
            occurred_at,
            cast(body ->> 'updated_at' as timestamp with time zone),
            received_at
        ) as event_at,
        shop_domain,
        body
    from source

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
        nullif(body -> 'customer' ->> 'id', '') as shopify_customer_id,
        nullif(
            lower(trim(coalesce(
                nullif(trim(body ->> 'email'), ''), body -> 'customer' ->> 'email'
            ))),
            ''
        ) as email,
        coalesce(
            nullif(body ->> 'phone', ''), nullif(body -> 'customer' ->> 'phone', '')
        ) as phone,
        nullif(trim(body -> 'customer' ->> 'first_name'), '') as first_name,
        nullif(trim(body -> 'customer' ->> 'last_name'), '') as last_name,
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
