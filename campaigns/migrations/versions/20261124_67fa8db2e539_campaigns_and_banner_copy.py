"""Campaigns and their banner copy.

Revision ID: 67fa8db2e539
Revises: 
Create Date: 2026-11-24 22:27:21.379190

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '67fa8db2e539'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('goal_amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('draft', 'live', 'ended', 'archived', name='campaignstatus', native_enum=False, length=16), nullable=False),
    sa.Column('preset_amounts', sa.JSON(), nullable=False),
    sa.Column('default_frequency', sa.Enum('one_time', 'monthly', name='frequency', native_enum=False, length=16), nullable=False),
    sa.Column('urgent_seconds', sa.Integer(), nullable=False),
    sa.Column('final_seconds', sa.Integer(), nullable=False),
    sa.Column('raised_amount', sa.BigInteger(), nullable=False),
    sa.Column('donor_count', sa.Integer(), nullable=False),
    sa.Column('donation_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_campaign_ends_after_start')),
    sa.CheckConstraint('final_seconds <= urgent_seconds', name=op.f('ck_campaign_final_within_urgent')),
    sa.CheckConstraint('goal_amount > 0', name=op.f('ck_campaign_goal_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign')),
    sa.UniqueConstraint('slug', name=op.f('uq_campaign_slug'))
    )
    op.create_table('banner_copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('upcoming', 'normal', 'urgent', 'final', 'ended', name='stage', native_enum=False, length=16), nullable=False),
    sa.Column('variant', sa.String(length=32), nullable=False),
    sa.Column('headline', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('cta_label', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_banner_copy_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_banner_copy')),
    sa.UniqueConstraint('campaign_id', 'stage', 'variant', name=op.f('uq_banner_copy_campaign_id_stage_variant'))
    )


def downgrade():
    op.drop_table('banner_copy')
    op.drop_table('campaign')
