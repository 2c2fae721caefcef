-- Lead ids retired by merges: anything that stored an old lead_id finds the live one here.
with history as (

    select * from {{ ref('stg_identity__lead_id_history') }}

),

final as (

    select
        retired_lead_id,
        surviving_lead_id,
        retired_at
    from history

)

select * from final
