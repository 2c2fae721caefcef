-- Hours to recovery count from the cart's last activity (when it was abandoned), not
-- from enrolment; the cart's total and currency come from fct_carts.
with enrollments as (

    select * from {{ ref('fct_campaign_enrollments') }}
    where flow = 'cart_recovery'

),

carts as (

    select * from {{ ref('fct_carts') }}

),

final as (

    select
        enrollments.enrollment_id,
        enrollments.cart_id,
        enrollments.lead_id,
        enrollments.sequence_name,
        enrollments.test_group,
        enrollments.anchor_at as abandoned_at,
        enrollments.enrolled_at,
        carts.total_price as cart_total,
        carts.currency,
        enrollments.messages_queued,
        enrollments.converted as recovered,
        enrollments.conversion_order_id as recovery_order_id,
        enrollments.conversion_revenue as recovered_revenue,
        {{ dbt.datediff('enrollments.anchor_at', 'enrollments.converted_at', 'minute') }}
            / 60.0 as hours_to_recovery
    from enrollments
    left join carts on enrollments.cart_id = carts.cart_id

)

select * from final
