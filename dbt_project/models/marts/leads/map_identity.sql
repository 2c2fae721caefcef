with leads as (

    select * from {{ ref('int_leads_resolved') }}

),

identities as (

    select * from {{ ref('int_identities') }}

),

final as (

    select
        leads.source,
        leads.source_id,
        leads.lead_id,
        leads.match_confidence,
        leads.match_rule,
        leads.match_reasons,
        identities.display_name,
        identities.first_seen_at,
        identities.last_seen_at
    from leads
    inner join identities
        on leads.source = identities.source
        and leads.source_id = identities.source_id

)

select * from final
