-- One refund (refunds/create). amount = the sum of its transactions' amounts, leaving out
-- transactions Shopify reports as failed (status failure / error) and non-refund kinds.
with events as (

    {{ shopify_events(['refunds/create'], 'refund_id', 'id', 'created_at') }}

),

latest as (

    select * from (
        select
            *,
            row_number() over (
                partition by refund_id order by event_at desc, event_key desc
            ) as recency
        from events
    ) as ranked
    where recency = 1

),

transactions as (

    select
        latest.refund_id,
        cast(transaction ->> 'amount' as {{ dbt.type_numeric() }}) as amount
    from latest
    cross join lateral jsonb_array_elements(
        case
            when jsonb_typeof(latest.body -> 'transactions') = 'array'
                then latest.body -> 'transactions'
            else '[]'::jsonb
        end
    ) as transactions (transaction)
    where coalesce(transaction ->> 'kind', 'refund') = 'refund'
        and coalesce(transaction ->> 'status', 'success') not in ('failure', 'error')

),

amounts as (

    select refund_id, sum(amount) as amount, count(*) as transaction_count
    from transactions
    group by 1

),

renamed as (

    select
        latest.refund_id,
        nullif(latest.body ->> 'order_id', '') as order_id,
        cast(latest.body ->> 'created_at' as timestamp with time zone) as created_at,
        coalesce(amounts.amount, 0) as amount,
        coalesce(amounts.transaction_count, 0) as transaction_count,
        nullif(latest.body ->> 'note', '') as note,
        latest.shop_domain,
        latest.event_at
    from latest
    left join amounts on latest.refund_id = amounts.refund_id

)

select * from renamed
