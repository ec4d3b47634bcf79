"""Stripe events inbox: status, payload, per-object order, retries; what Stripe collected on donations

Revision ID: 4351e897e803
Revises: 2375bb2d2774
Create Date: 2026-12-07 16:58:06.187365

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4351e897e803'
down_revision = '2375bb2d2774'
branch_labels = None
depends_on = None

EVENT_STATUS = sa.Enum(
    'received', 'applied', 'ignored', 'failed', name='eventstatus', native_enum=False, length=16
)


def upgrade():
    # Existing rows get defaults first (events already applied or ignored, with no payload
    # kept: each is its own object), then the inbox's defaults go, as the models have none;
    # amount_mismatch keeps its default, so rows written by plain SQL need not name it.
    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('collected_amount', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('collected_currency', sa.String(length=3), nullable=True))
        batch_op.add_column(
            sa.Column('amount_mismatch', sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.alter_column(
            'outcome', new_column_name='status', existing_type=sa.String(length=16),
            type_=EVENT_STATUS, existing_nullable=False,
        )
        batch_op.add_column(sa.Column('object_key', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('payload', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lease_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(
            sa.Column('ignored_reason', sa.String(length=300), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True))

    op.execute(
        "UPDATE stripe_event SET object_key = id, next_attempt_at = received_at, "
        "applied_at = CASE WHEN status = 'applied' THEN received_at END"
    )

    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.alter_column('object_key', nullable=False, existing_type=sa.String(length=255))
        batch_op.alter_column(
            'next_attempt_at', nullable=False, existing_type=sa.DateTime(timezone=True)
        )
        for column, kind in (
            ('payload', sa.Text()),
            ('attempts', sa.Integer()),
            ('last_error', sa.Text()),
            ('ignored_reason', sa.String(length=300)),
        ):
            batch_op.alter_column(column, server_default=None, existing_type=kind)
        batch_op.create_index(
            'ix_stripe_event_unapplied_order', ['object_key', 'created', 'id'], unique=False,
            postgresql_where=sa.text("status IN ('received', 'failed')"),
            sqlite_where=sa.text("status IN ('received', 'failed')"),
        )
        batch_op.create_index('ix_stripe_event_status_due', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    # Events not yet applied would be lost by the old table, which knew only applied ones.
    op.execute("DELETE FROM stripe_event WHERE status IN ('received', 'failed')")
    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.drop_index('ix_stripe_event_status_due')
        batch_op.drop_index('ix_stripe_event_unapplied_order')
        batch_op.drop_column('applied_at')
        batch_op.drop_column('ignored_reason')
        batch_op.drop_column('last_error')
        batch_op.drop_column('lease_token')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('payload')
        batch_op.drop_column('object_key')
        batch_op.alter_column(
            'status', new_column_name='outcome', existing_type=EVENT_STATUS,
            type_=sa.String(length=16), existing_nullable=False,
        )

    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.drop_column('amount_mismatch')
        batch_op.drop_column('collected_currency')
        batch_op.drop_column('collected_amount')
