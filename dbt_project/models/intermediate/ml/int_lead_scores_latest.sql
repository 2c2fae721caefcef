-- The newest score of each lead from ml.lead_scores (written by the Dagster scoring asset,
-- which reads the dbt features and so runs before dim_leads is rebuilt). Reading the
-- source here keeps dim_leads' own change to one join.
with scores as (

    select * from {{ source('ml', 'lead_scores') }}

),

ranked as (

    select
        *,
        row_number() over (partition by lead_id order by scored_at desc, score_run_id desc)
            as recency
    from scores

),

final as (

    select
        lead_id,
        score as lead_score,
        tier as lead_tier,
        probability,
        close_probability,
        score_source,
        reasons,
        model_name,
        model_version,
        scored_at
    from ranked
    where recency = 1

)

select * from final
