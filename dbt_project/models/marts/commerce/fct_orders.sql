-- status, first match wins: cancelled (cancelled_at set), refunded (any refund amount),
-- paid (an orders/paid event, or financial_status paid), else open.
with orders as (

    select * from {{ ref('stg_shopify__orders') }}

),

refunds as (

    select * from {{ ref('stg_shopify__refunds') }}

),

records as (

    select * from {{ ref('int_buyer_records_keyed') }}
    where record_type = 'order'

),

buyers as (

    select * from {{ ref('int_buyers_matched') }}

),

refund_totals as (

    select
        order_id,
        sum(amount) as refunded_amount,
        count(*) as refund_count,
        max(event_at) as last_refund_at
    from refunds
    group by 1

),

joined as (

    select
        orders.*,
        records.customer_key,
        buyers.lead_id,
        coalesce(refund_totals.refunded_amount, 0) as refunded_amount,
        coalesce(refund_totals.refund_count, 0) as refund_count,
        refund_totals.last_refund_at
    from orders
    left join records on orders.order_id = records.record_id
    left join buyers on records.customer_key = buyers.customer_key
    left join refund_totals on orders.order_id = refund_totals.order_id

),

final as (

    select
        order_id,
        lead_id,
        customer_key,
        created_at,
        paid_at,
        cancelled_at,
        case
            when cancelled_at is not null then 'cancelled'
            when refunded_amount > 0 then 'refunded'
            when paid_at is not null or financial_status = 'paid' then 'paid'
            else 'open'
        end as status,
        total_price,
        refunded_amount,
        total_price - refunded_amount as net_amount,
        currency,
        line_item_count,
        financial_status,
        order_name,
        email,
        checkout_token,
        refund_count,
        case
            when last_refund_at > last_event_at then last_refund_at else last_event_at
        end as last_event_at
    from joined

)

select * from final
