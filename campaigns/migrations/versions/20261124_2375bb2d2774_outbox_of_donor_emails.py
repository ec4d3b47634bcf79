"""Donor emails: an outbox written with the events that cause them, sent by a worker.

Revision ID: 2375bb2d2774
Revises: d126aa854697
Create Date: 2026-11-24 23:21:09.096852

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2375bb2d2774'
down_revision = 'd126aa854697'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_email',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('receipt', 'refund', 'payment_failed', 'cancellation', 'welcome', 'statement', 'giving_link', 'no_giving', name='emailkind', native_enum=False, length=16), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('donor_id', sa.Integer(), nullable=True),
    sa.Column('donation_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'sent', 'failed', name='emailstatus', native_enum=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['donation_id'], ['donation.id'], name=op.f('fk_outbox_email_donation_id_donation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['donor_id'], ['donor.id'], name=op.f('fk_outbox_email_donor_id_donor'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_email')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_email_dedupe_key'))
    )
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_email_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_email_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index('ix_outbox_email_status_due', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_email_status_due')
        batch_op.drop_index(batch_op.f('ix_outbox_email_donor_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_email_donation_id'))

    op.drop_table('outbox_email')
