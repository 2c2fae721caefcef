-- Each invoice's lead. Rule, first match wins: (1) an identity of any source with the
-- invoice's email_key - `email`; (2) else one with its phone_key - `phone` (a WhatsApp
-- wa_id is a phone in digits). Several candidates: imports first, then shopify buyers,
-- whatsapp, messenger, instagram, then the smallest source_id. lead_id comes from
-- int_leads_resolved, so identity resolution's merges apply to invoices too.
with invoices as (

    select * from {{ ref('stg_billing__invoices') }}

),

identities as (

    select * from {{ ref('int_identities') }}

),

leads as (

    select * from {{ ref('int_leads_resolved') }}

),

candidates as (

    select
        invoices.invoice_number,
        identities.source,
        identities.source_id,
        1 as rule_rank,
        'email' as match_rule
    from invoices
    inner join identities on invoices.email_key = identities.email_key
    union all
    select
        invoices.invoice_number,
        identities.source,
        identities.source_id,
        2 as rule_rank,
        'phone' as match_rule
    from invoices
    inner join identities on invoices.phone_key = identities.phone_key

),

ranked as (

    select
        *,
        row_number() over (
            partition by invoice_number
            order by
                rule_rank,
                case source
                    when 'import' then 1 when 'shopify' then 2 when 'whatsapp' then 3
                    when 'messenger' then 4 when 'instagram' then 5 else 6
                end,
                source_id
        ) as rank_in_invoice
    from candidates

),

final as (

    select
        ranked.invoice_number,
        leads.lead_id,
        ranked.source as matched_source,
        ranked.source_id as matched_source_id,
        ranked.match_rule
    from ranked
    inner join leads
        on ranked.source = leads.source
        and ranked.source_id = leads.source_id
    where ranked.rank_in_invoice = 1

)

select * from final
