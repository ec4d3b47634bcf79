"""Staff accounts, audit log, offline gifts, refund and dispute copies, donor lifetime figures.

Revision ID: 91b661a5ad17
Revises: 6d58b91f00bd
Create Date: 2026-11-24 23:00:52.609402

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '91b661a5ad17'
down_revision = '6d58b91f00bd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('viewer', 'staff', 'admin', name='role', native_enum=False, length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_email'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=128), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_audit_entry_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_staff_id'), ['staff_id'], unique=False)

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_campaign_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_campaign_previous_campaign_id_campaign'), 'campaign', ['previous_campaign_id'], ['id'])

    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.Enum('card', 'check', 'cash', 'bank_transfer', name='paymentmethod', native_enum=False, length=16), nullable=False, server_default='card'))
        batch_op.add_column(sa.Column('reference', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('amount_refunded', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('dispute_status', sa.Enum('none', 'open', 'won', 'lost', name='disputestatus', native_enum=False, length=16), nullable=False, server_default='none'))
        batch_op.create_index('ix_donation_donor_paid', ['donor_id', 'paid_at'], unique=False)
        batch_op.create_index('ix_donation_paid_at', ['paid_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_donation_recorded_by_id_staff'), 'staff', ['recorded_by_id'], ['id'])

    with op.batch_alter_table('donor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lifetime_amount', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('gift_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('first_gift_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_gift_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_donor_last_gift_at'), ['last_gift_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_donor_lifetime_amount'), ['lifetime_amount'], unique=False)
        batch_op.create_index('ix_donor_name', ['name'], unique=False)


def downgrade():
    with op.batch_alter_table('donor', schema=None) as batch_op:
        batch_op.drop_index('ix_donor_name')
        batch_op.drop_index(batch_op.f('ix_donor_lifetime_amount'))
        batch_op.drop_index(batch_op.f('ix_donor_last_gift_at'))
        batch_op.drop_column('last_gift_at')
        batch_op.drop_column('first_gift_at')
        batch_op.drop_column('gift_count')
        batch_op.drop_column('lifetime_amount')

    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_donation_recorded_by_id_staff'), type_='foreignkey')
        batch_op.drop_index('ix_donation_paid_at')
        batch_op.drop_index('ix_donation_donor_paid')
        batch_op.drop_column('dispute_status')
        batch_op.drop_column('amount_refunded')
        batch_op.drop_column('voided_at')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('reference')
        batch_op.drop_column('method')

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_campaign_previous_campaign_id_campaign'), type_='foreignkey')
        batch_op.drop_column('previous_campaign_id')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_staff_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))

    op.drop_table('audit_entry')
    op.drop_table('staff')
