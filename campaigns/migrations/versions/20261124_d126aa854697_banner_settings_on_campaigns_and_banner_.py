"""The embedded banner: placement, dismissal, closing, sampling and colours; funnel counters.

Revision ID: d126aa854697
Revises: 91b661a5ad17
Create Date: 2026-11-24 23:07:36.023743

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd126aa854697'
down_revision = '91b661a5ad17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('banner_event_count',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('stage', sa.Enum('upcoming', 'normal', 'urgent', 'final', 'ended', name='stage', native_enum=False, length=16), nullable=False),
    sa.Column('variant', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.Enum('impression', 'click', 'close', name='bannereventkind', native_enum=False, length=16), nullable=False),
    sa.Column('beacons', sa.BigInteger(), nullable=False),
    sa.Column('events', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('events >= beacons AND beacons >= 0', name=op.f('ck_banner_event_count_counts')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_banner_event_count_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'day', 'stage', 'variant', 'kind', name=op.f('pk_banner_event_count'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('banner_placement', sa.Enum('top', 'bottom', 'inline', name='bannerplacement', native_enum=False, length=16), nullable=False, server_default='bottom'))
        batch_op.add_column(sa.Column('banner_dismiss_days', sa.Integer(), nullable=False, server_default='14'))
        batch_op.add_column(sa.Column('banner_after_end', sa.Enum('message', 'hide', name='bannerafterend', native_enum=False, length=16), nullable=False, server_default='message'))
        batch_op.add_column(sa.Column('banner_impression_sample', sa.Integer(), nullable=False, server_default='10'))
        batch_op.add_column(sa.Column('banner_background', sa.String(length=7), nullable=False, server_default='#fff8e1'))
        batch_op.add_column(sa.Column('banner_text', sa.String(length=7), nullable=False, server_default='#1f1f1f'))
        batch_op.add_column(sa.Column('banner_accent', sa.String(length=7), nullable=False, server_default='#b3261e'))
        batch_op.add_column(sa.Column('banner_accent_text', sa.String(length=7), nullable=False, server_default='#ffffff'))
        batch_op.create_check_constraint(
            'banner_dismiss_days', 'banner_dismiss_days >= 0 AND banner_dismiss_days <= 365')
        batch_op.create_check_constraint(
            'banner_impression_sample', 'banner_impression_sample >= 1')


def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_campaign_banner_impression_sample'), type_='check')
        batch_op.drop_constraint(op.f('ck_campaign_banner_dismiss_days'), type_='check')
        batch_op.drop_column('banner_accent_text')
        batch_op.drop_column('banner_accent')
        batch_op.drop_column('banner_text')
        batch_op.drop_column('banner_background')
        batch_op.drop_column('banner_impression_sample')
        batch_op.drop_column('banner_after_end')
        batch_op.drop_column('banner_dismiss_days')
        batch_op.drop_column('banner_placement')

    op.drop_table('banner_event_count')
