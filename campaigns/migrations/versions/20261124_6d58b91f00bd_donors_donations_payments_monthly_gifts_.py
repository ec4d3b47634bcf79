"""Donors, donations, payment facts, monthly gifts and Stripe events; donation limits and fees.

Revision ID: 6d58b91f00bd
Revises: 67fa8db2e539
Create Date: 2026-11-24 22:33:26.543557

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d58b91f00bd'
down_revision = '67fa8db2e539'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('donor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('newsletter', sa.Boolean(), nullable=False),
    sa.Column('stripe_customer_id', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donor')),
    sa.UniqueConstraint('email_key', name=op.f('uq_donor_email_key'))
    )
    with op.batch_alter_table('donor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donor_stripe_customer_id'), ['stripe_customer_id'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stripe_payment_intent_id', sa.String(length=255), nullable=False),
    sa.Column('stripe_charge_id', sa.String(length=255), nullable=True),
    sa.Column('amount_refunded', sa.BigInteger(), nullable=False),
    sa.Column('dispute_status', sa.Enum('none', 'open', 'won', 'lost', name='disputestatus', native_enum=False, length=16), nullable=False),
    sa.Column('disputed_amount', sa.BigInteger(), nullable=False),
    sa.Column('dispute_event_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('stripe_payment_intent_id', name=op.f('uq_payment_stripe_payment_intent_id'))
    )
    op.create_table('stripe_event',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('created', sa.BigInteger(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('received_via', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_event'))
    )
    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stripe_event_type'), ['type'], unique=False)

    op.create_table('campaign_donor',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('donor_id', sa.Integer(), nullable=False),
    sa.Column('counted_gifts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_donor_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['donor_id'], ['donor.id'], name=op.f('fk_campaign_donor_donor_id_donor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'donor_id', name=op.f('pk_campaign_donor'))
    )
    op.create_table('recurring_gift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stripe_subscription_id', sa.String(length=255), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('donor_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.Enum('incomplete', 'active', 'past_due', 'unpaid', 'canceled', name='recurringstatus', native_enum=False, length=16), nullable=False),
    sa.Column('next_charge_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_at_period_end', sa.Boolean(), nullable=False),
    sa.Column('failed_payments', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('variant', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('canceled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stripe_state_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_recurring_gift_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['donor_id'], ['donor.id'], name=op.f('fk_recurring_gift_donor_id_donor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recurring_gift')),
    sa.UniqueConstraint('stripe_subscription_id', name=op.f('uq_recurring_gift_stripe_subscription_id'))
    )
    with op.batch_alter_table('recurring_gift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurring_gift_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recurring_gift_donor_id'), ['donor_id'], unique=False)

    op.create_table('donation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('donor_id', sa.Integer(), nullable=True),
    sa.Column('recurring_gift_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('fee_amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('frequency', sa.Enum('one_time', 'monthly', name='frequency', native_enum=False, length=16), nullable=False),
    sa.Column('status', sa.Enum('pending', 'processing', 'paid', 'failed', 'expired', name='donationstatus', native_enum=False, length=16), nullable=False),
    sa.Column('counted_amount', sa.BigInteger(), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('dedication', sa.String(length=200), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('newsletter', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('variant', sa.String(length=32), nullable=False),
    sa.Column('stripe_checkout_session_id', sa.String(length=255), nullable=True),
    sa.Column('stripe_payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('stripe_invoice_id', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_donation_amount_positive')),
    sa.CheckConstraint('counted_amount >= 0', name=op.f('ck_donation_counted_not_negative')),
    sa.CheckConstraint('fee_amount >= 0', name=op.f('ck_donation_fee_not_negative')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_donation_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['donor_id'], ['donor.id'], name=op.f('fk_donation_donor_id_donor')),
    sa.ForeignKeyConstraint(['recurring_gift_id'], ['recurring_gift.id'], name=op.f('fk_donation_recurring_gift_id_recurring_gift')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation')),
    sa.UniqueConstraint('stripe_checkout_session_id', name=op.f('uq_donation_stripe_checkout_session_id')),
    sa.UniqueConstraint('stripe_invoice_id', name=op.f('uq_donation_stripe_invoice_id')),
    sa.UniqueConstraint('stripe_payment_intent_id', name=op.f('uq_donation_stripe_payment_intent_id'))
    )
    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.create_index('ix_donation_campaign_created', ['campaign_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_recurring_gift_id'), ['recurring_gift_id'], unique=False)

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_amount', sa.BigInteger(), nullable=False, server_default='100'))
        batch_op.add_column(sa.Column('max_amount', sa.BigInteger(), nullable=False, server_default='10000000'))
        batch_op.add_column(sa.Column('fee_basis_points', sa.Integer(), nullable=False, server_default='290'))
        batch_op.add_column(sa.Column('fee_fixed_amount', sa.Integer(), nullable=False, server_default='30'))
        batch_op.create_check_constraint(
            'amount_limits', '0 < min_amount AND min_amount <= max_amount')
        batch_op.create_check_constraint(
            'fee_rate', 'fee_basis_points >= 0 AND fee_basis_points < 10000')



def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_campaign_fee_rate'), type_='check')
        batch_op.drop_constraint(op.f('ck_campaign_amount_limits'), type_='check')
        batch_op.drop_column('fee_fixed_amount')
        batch_op.drop_column('fee_basis_points')
        batch_op.drop_column('max_amount')
        batch_op.drop_column('min_amount')

    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_recurring_gift_id'))
        batch_op.drop_index(batch_op.f('ix_donation_donor_id'))
        batch_op.drop_index(batch_op.f('ix_donation_campaign_id'))
        batch_op.drop_index('ix_donation_campaign_created')

    op.drop_table('donation')
    with op.batch_alter_table('recurring_gift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recurring_gift_donor_id'))
        batch_op.drop_index(batch_op.f('ix_recurring_gift_campaign_id'))

    op.drop_table('recurring_gift')
    op.drop_table('campaign_donor')
    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stripe_event_type'))

    op.drop_table('stripe_event')
    op.drop_table('payment')
    with op.batch_alter_table('donor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donor_stripe_customer_id'))

    op.drop_table('donor')
