-- Latest state per checkout (token): the event with the latest occurred_at wins (then the
-- latest landing id).
with source as (

    select * from {{ source('raw', 'commerce_events') }}
    where source = 'shopify'
        and topic in ('checkouts/create', 'checkouts/update')

),

events as (

    select
        id as event_key,
        topic,
        coalesce(resource_id, body ->> 'token') as cart_id,
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
            partition by cart_id order by event_at desc, event_key desc
        ) as recency,
        count(*) over (partition by cart_id) as event_count,
        min(event_at) over (partition by cart_id) as first_event_at,
        max(event_at) over (partition by cart_id) as last_event_at
    from events

),

latest as (

    select * from ranked
    where recency = 1

),

renamed as (

    select
        cart_id,
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
        nullif(body ->> 'abandoned_checkout_url', '') as abandoned_checkout_url,
        cast(body ->> 'created_at' as timestamp with time zone) as created_at,
        cast(body ->> 'updated_at' as timestamp with time zone) as updated_at,
        cast(body ->> 'completed_at' as timestamp with time zone) as completed_at,
        coalesce(jsonb_array_length(body -> 'line_items'), 0) as line_item_count,
        shop_domain,
        event_count,
        first_event_at,
        last_event_at
    from latest

)

select * from renamed
