-- Lift = treatment conversion rate - hold-out conversion rate, with a 95 % normal
-- (Wald) interval for a difference of two proportions:
--   lift +/- 1.96 * sqrt(p_t (1 - p_t) / n_t + p_h (1 - p_h) / n_h);
-- null while either group is empty.
with enrollments as (

    select * from {{ ref('fct_campaign_enrollments') }}

),

groups as (

    select
        sequence_name,
        min(flow) as flow,
        sum(case when test_group = 'treatment' then 1 else 0 end) as treatment_enrolled,
        sum(case when test_group = 'holdout' then 1 else 0 end) as holdout_enrolled,
        sum(case when test_group = 'treatment' and converted then 1 else 0 end)
            as treatment_conversions,
        sum(case when test_group = 'holdout' and converted then 1 else 0 end)
            as holdout_conversions,
        sum(case when test_group = 'treatment' then conversion_revenue else 0 end)
            as treatment_revenue,
        sum(case when test_group = 'holdout' then conversion_revenue else 0 end)
            as holdout_revenue,
        sum(messages_queued) as messages_queued
    from enrollments
    group by 1

),

rates as (

    select
        *,
        case when treatment_enrolled > 0
            then 1.0 * treatment_conversions / treatment_enrolled end as treatment_rate,
        case when holdout_enrolled > 0
            then 1.0 * holdout_conversions / holdout_enrolled end as holdout_rate
    from groups

),

intervals as (

    select
        *,
        treatment_rate - holdout_rate as lift,
        1.96 * sqrt(
            treatment_rate * (1 - treatment_rate) / treatment_enrolled
            + holdout_rate * (1 - holdout_rate) / holdout_enrolled
        ) as half_width
    from rates

),

final as (

    select
        sequence_name,
        flow,
        treatment_enrolled,
        holdout_enrolled,
        treatment_conversions,
        holdout_conversions,
        round(cast(treatment_rate as numeric), 4) as treatment_rate,
        round(cast(holdout_rate as numeric), 4) as holdout_rate,
        round(cast(lift as numeric), 4) as lift,
        round(cast(lift - half_width as numeric), 4) as lift_ci_low,
        round(cast(lift + half_width as numeric), 4) as lift_ci_high,
        treatment_revenue,
        holdout_revenue,
        case when treatment_enrolled > 0
            then treatment_revenue / treatment_enrolled end as revenue_per_treatment,
        case when holdout_enrolled > 0
            then holdout_revenue / holdout_enrolled end as revenue_per_holdout,
        messages_queued
    from intervals

)

select * from final
