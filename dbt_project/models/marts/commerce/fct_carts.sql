-- status, first match wins:
--   converted: completed_at is set, or an order follows (recovered_order_id);
--   abandoned: no order followed within {{ var('cart_abandoned_after_hours') }} h of the
--              checkout's last update, and that much time has passed by the newest commerce
--              event in the data (as_of_at; not the wall clock, like fct_conversations);
--   open:      otherwise (the window is still running).
-- The order that follows: the one made from this checkout (checkout_token), else the first
-- order of the same buyer (customer_key) or e-mail created from the checkout's creation to
-- its last update + the window.
with checkouts as (

    select * from {{ ref('stg_shopify__checkouts') }}

),

records as (

    select * from {{ ref('int_buyer_records_keyed') }}
    where record_type = 'checkout'

),

buyers as (

    select * from {{ ref('int_buyers_matched') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

as_of as (

    select max(last_event_at) as as_of_at
    from (
        select last_event_at from checkouts
        union all
        select last_event_at from orders
    ) as commerce_events

),

carts as (

    select
        checkouts.*,
        coalesce(checkouts.updated_at, checkouts.last_event_at) as last_activity_at,
        records.customer_key,
        buyers.lead_id
    from checkouts
    left join records on checkouts.cart_id = records.record_id
    left join buyers on records.customer_key = buyers.customer_key

),

following_orders as (

    select
        carts.cart_id,
        orders.order_id,
        row_number() over (
            partition by carts.cart_id
            order by
                case when orders.checkout_token = carts.cart_id then 1 else 2 end,
                orders.created_at,
                orders.order_id
        ) as rank_in_cart
    from carts
    inner join orders
        on orders.checkout_token = carts.cart_id
        or (
            (orders.customer_key = carts.customer_key or orders.email = carts.email)
            and orders.created_at >= carts.created_at
            and orders.created_at <= {{ dbt.dateadd(
                'hour', var('cart_abandoned_after_hours'), 'carts.last_activity_at'
            ) }}
        )

),

final as (

    select
        carts.cart_id,
        carts.lead_id,
        carts.customer_key,
        carts.created_at,
        carts.updated_at,
        carts.completed_at,
        carts.total_price,
        carts.currency,
        following_orders.order_id as recovered_order_id,
        case
            when carts.completed_at is not null or following_orders.order_id is not null
                then 'converted'
            when {{ dbt.dateadd(
                'hour', var('cart_abandoned_after_hours'), 'carts.last_activity_at'
            ) }} <= as_of.as_of_at
                then 'abandoned'
            else 'open'
        end as status,
        carts.email,
        carts.abandoned_checkout_url,
        carts.line_item_count,
        carts.last_activity_at,
        as_of.as_of_at
    from carts
    cross join as_of
    left join following_orders
        on carts.cart_id = following_orders.cart_id
        and following_orders.rank_in_cart = 1

)

select * from final
