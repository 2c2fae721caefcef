-- An enrolment converts when its lead places an order (not cancelled) from its enrolment
-- to var('campaign_conversion_days') later; for a cart, an order from that checkout
-- counts too, and is preferred when there are several.
with enrollments as (

    select * from {{ ref('stg_app__campaign_enrollments') }}

),

steps as (

    select * from {{ ref('stg_app__campaign_steps') }}

),

orders as (

    select * from {{ ref('fct_orders') }}
    where status <> 'cancelled'

),

step_counts as (

    select
        enrollment_id,
        sum(case when outcome = 'queued' then 1 else 0 end) as messages_queued,
        max(acted_at) as last_step_at
    from steps
    group by 1

),

candidate_orders as (

    select
        enrollments.enrollment_id,
        orders.order_id,
        orders.created_at,
        orders.total_price,
        row_number() over (
            partition by enrollments.enrollment_id
            order by
                case when orders.checkout_token = enrollments.cart_id then 1 else 2 end,
                orders.created_at,
                orders.order_id
        ) as rank_in_enrollment
    from enrollments
    inner join orders
        on (orders.lead_id = enrollments.lead_id or orders.checkout_token = enrollments.cart_id)
        and orders.created_at >= enrollments.enrolled_at
        and orders.created_at < {{ dbt.dateadd(
            'day', var('campaign_conversion_days', 14), 'enrollments.enrolled_at'
        ) }}

),

final as (

    select
        enrollments.enrollment_id,
        enrollments.sequence_name,
        enrollments.flow,
        enrollments.lead_id,
        enrollments.subject,
        enrollments.cart_id,
        enrollments.test_group,
        enrollments.enrolled_at,
        enrollments.anchor_at,
        enrollments.steps_done,
        enrollments.status,
        enrollments.exit_reason,
        coalesce(step_counts.messages_queued, 0) as messages_queued,
        step_counts.last_step_at,
        candidate_orders.order_id is not null as converted,
        candidate_orders.order_id as conversion_order_id,
        candidate_orders.created_at as converted_at,
        coalesce(candidate_orders.total_price, 0) as conversion_revenue
    from enrollments
    left join step_counts on enrollments.enrollment_id = step_counts.enrollment_id
    left join candidate_orders
        on enrollments.enrollment_id = candidate_orders.enrollment_id
        and candidate_orders.rank_in_enrollment = 1

)

select * from final
