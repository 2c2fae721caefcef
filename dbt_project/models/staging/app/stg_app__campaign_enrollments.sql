-- One enrolment of a lead (or of one of its carts) in a campaign sequence.
with source as (

    select * from {{ source('app', 'campaign_enrollments') }}

),

renamed as (

    select
        enrollment_id,
        sequence as sequence_name,
        flow,
        lead_id,
        subject,
        context ->> 'cart_id' as cart_id,
        test_group,
        enrolled_at,
        anchor_at,
        step as steps_done,
        status,
        exit_reason,
        next_due_at,
        updated_at
    from source

)

select * from renamed
