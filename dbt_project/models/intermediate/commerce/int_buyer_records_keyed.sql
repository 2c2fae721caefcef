-- Every order and checkout with the buyer it belongs to (`customer_key`) and the keys that
-- link buyers to leads: email_key (lowercased, trimmed e-mail) and phone_key (the phone's
-- digits, at least 7). customer_key: the Shopify customer id; for a guest record, the
-- customer id last seen with the same e-mail; else the e-mail; else the phone digits.
with orders as (

    select * from {{ ref('stg_shopify__orders') }}

),

checkouts as (

    select * from {{ ref('stg_shopify__checkouts') }}

),

records as (

    select
        'order' as record_type,
        order_id as record_id,
        shopify_customer_id,
        email,
        phone,
        first_name,
        last_name,
        coalesce(created_at, first_event_at) as first_seen_at,
        last_event_at as last_seen_at
    from orders
    union all
    select
        'checkout' as record_type,
        cart_id as record_id,
        shopify_customer_id,
        email,
        phone,
        first_name,
        last_name,
        coalesce(created_at, first_event_at) as first_seen_at,
        last_event_at as last_seen_at
    from checkouts

),

keyed as (

    select
        *,
        email as email_key,
        case
            when {{ dbt.length("regexp_replace(phone, '[^0-9]', '', 'g')") }} >= 7
                then regexp_replace(phone, '[^0-9]', '', 'g')
        end as phone_key
    from records

),

email_customers as (

    select email_key, shopify_customer_id
    from (
        select
            email_key,
            shopify_customer_id,
            row_number() over (
                partition by email_key order by last_seen_at desc, record_type, record_id
            ) as recency
        from keyed
        where email_key is not null and shopify_customer_id is not null
    ) as ranked
    where recency = 1

),

final as (

    select
        keyed.record_type,
        keyed.record_id,
        coalesce(
            keyed.shopify_customer_id,
            email_customers.shopify_customer_id,
            keyed.email_key,
            keyed.phone_key
        ) as customer_key,
        case
            when keyed.shopify_customer_id is not null then 'customer_id'
            when email_customers.shopify_customer_id is not null then 'customer_id_by_email'
            when keyed.email_key is not null then 'email'
            when keyed.phone_key is not null then 'phone'
        end as customer_key_rule,
        keyed.shopify_customer_id,
        keyed.email_key,
        keyed.phone_key,
        keyed.email,
        keyed.phone,
        keyed.first_name,
        keyed.last_name,
        keyed.first_seen_at,
        keyed.last_seen_at
    from keyed
    left join email_customers
        on keyed.shopify_customer_id is null
        and keyed.email_key = email_customers.email_key

)

select * from final
