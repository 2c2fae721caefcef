-- Latest state per checkout (token): the event with the latest occurred_at wins (then the
-- latest landing id).
with events as (

    {{ shopify_events(['checkouts/create', 'checkouts/update'], 'cart_id', 'token', 'updated_at') }}

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
        {{ shopify_customer_columns() }}
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
