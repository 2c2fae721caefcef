-- One buyer (customer_key) with the latest e-mail, phone and name seen on its orders and
-- checkouts, and when it was first and last seen.
with records as (

    select * from {{ ref('int_buyer_records_keyed') }}
    where customer_key is not null

),

latest_values as (

    select
        customer_key,
        email_key,
        phone_key,
        email,
        phone,
        first_name,
        last_name,
        row_number() over (
            partition by customer_key
            order by last_seen_at desc, record_type desc, record_id desc
        ) as recency
    from records

),

latest_emails as (

    select customer_key, email_key, email
    from (
        select *, row_number() over (partition by customer_key order by recency) as rank_in_buyer
        from latest_values
        where email_key is not null
    ) as ranked
    where rank_in_buyer = 1

),

latest_phones as (

    select customer_key, phone_key, phone
    from (
        select *, row_number() over (partition by customer_key order by recency) as rank_in_buyer
        from latest_values
        where phone_key is not null
    ) as ranked
    where rank_in_buyer = 1

),

latest_names as (

    select
        customer_key,
        case
            when first_name is not null and last_name is not null
                then {{ dbt.concat(["first_name", "' '", "last_name"]) }}
            else coalesce(first_name, last_name)
        end as display_name
    from (
        select *, row_number() over (partition by customer_key order by recency) as rank_in_buyer
        from latest_values
        where first_name is not null or last_name is not null
    ) as ranked
    where rank_in_buyer = 1

),

activity as (

    select
        customer_key,
        max(shopify_customer_id) as shopify_customer_id,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        sum(case when record_type = 'order' then 1 else 0 end) as order_count,
        sum(case when record_type = 'checkout' then 1 else 0 end) as checkout_count,
        count(*) as record_count
    from records
    group by 1

),

final as (

    select
        activity.customer_key,
        activity.shopify_customer_id,
        latest_names.display_name,
        latest_emails.email_key,
        latest_emails.email,
        latest_phones.phone_key,
        latest_phones.phone,
        activity.first_seen_at,
        activity.last_seen_at,
        activity.order_count,
        activity.checkout_count,
        activity.record_count
    from activity
    left join latest_emails on activity.customer_key = latest_emails.customer_key
    left join latest_phones on activity.customer_key = latest_phones.customer_key
    left join latest_names on activity.customer_key = latest_names.customer_key

)

select * from final
