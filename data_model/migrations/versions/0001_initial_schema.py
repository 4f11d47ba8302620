"""Initial schema: the tables of data_model.models as they stood when migrations were introduced.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 04:34:29.437514
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('implementer', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('overall_goal', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('annual_goal', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('cost_rule', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('actual_summary', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('finalized_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('finalized_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('auditlog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditlog_at'), ['at'], unique=False)
        batch_op.create_index('ix_auditlog_project', ['project_id', 'id'], unique=False)

    op.create_table('budgetline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'name')
    )
    with op.batch_alter_table('budgetline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budgetline_project_id'), ['project_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('level1', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('level2', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('level3', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('target_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('operator', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('word', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('metric_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('budget_line', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'seq')
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_project_id'), ['project_id'], unique=False)

    op.create_table('periodlock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('locked_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('locked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'month')
    )
    op.create_table('uploadbatch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('row_counts', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('undone_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('undone_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('uploadbatch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uploadbatch_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploadbatch_project_id'), ['project_id'], unique=False)

    op.create_table('casesubsidy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('case_no', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('case_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'case_no')
    )
    with op.batch_alter_table('casesubsidy', schema=None) as batch_op:
        batch_op.create_index('ix_casesubsidy_asof', ['project_id', 'closed_on', 'persons'], unique=False)
        batch_op.create_index(batch_op.f('ix_casesubsidy_batch_id'), ['batch_id'], unique=False)

    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('complaint_no', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'complaint_no')
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_asof', ['project_id', 'valid', 'received_on', 'closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_batch_id'), ['batch_id'], unique=False)

    op.create_table('correctiveaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('correctiveaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correctiveaction_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('equipmentissue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('acceptance', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'recipient', 'issued_on')
    )
    with op.batch_alter_table('equipmentissue', schema=None) as batch_op:
        batch_op.create_index('ix_equipmentissue_asof', ['project_id', 'issued_on', 'sets', 'acceptance'], unique=False)
        batch_op.create_index(batch_op.f('ix_equipmentissue_batch_id'), ['batch_id'], unique=False)

    op.create_table('expense',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('voucher_no', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('budget_line', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'voucher_no')
    )
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.create_index('ix_expense_asof', ['project_id', 'budget_line', 'paid_on', 'amount'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_batch_id'), ['batch_id'], unique=False)

    op.create_table('judgment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('deviation_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('judged_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('judged_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id')
    )
    op.create_table('laborstat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('disputes', sa.Integer(), nullable=False),
    sa.Column('wage_arrears', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'month')
    )
    with op.batch_alter_table('laborstat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_laborstat_batch_id'), ['batch_id'], unique=False)

    op.create_table('legalevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('on_theme', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'name', 'held_on')
    )
    with op.batch_alter_table('legalevent', schema=None) as batch_op:
        batch_op.create_index('ix_legalevent_asof', ['project_id', 'held_on', 'planned_on', 'on_theme'], unique=False)
        batch_op.create_index(batch_op.f('ix_legalevent_batch_id'), ['batch_id'], unique=False)

    op.create_table('manualvalue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('entered_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id', 'month')
    )
    with op.batch_alter_table('manualvalue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manualvalue_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('mechanism',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('doc_no', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'name')
    )
    with op.batch_alter_table('mechanism', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mechanism_batch_id'), ['batch_id'], unique=False)

    op.create_table('mediationsite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('site_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('acceptance', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'name')
    )
    with op.batch_alter_table('mediationsite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediationsite_batch_id'), ['batch_id'], unique=False)

    op.create_table('platformmaintenance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('maintained', sa.Boolean(), nullable=False),
    sa.Column('integration_pct', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'month')
    )
    with op.batch_alter_table('platformmaintenance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platformmaintenance_batch_id'), ['batch_id'], unique=False)

    op.create_table('replacedrecord',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('sheet', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('previous', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('replacedrecord', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replacedrecord_batch_id'), ['batch_id'], unique=False)

    op.create_table('surveyresponse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_no', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('surveyed_on', sa.Date(), nullable=False),
    sa.Column('respondent', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['uploadbatch.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'questionnaire_no')
    )
    with op.batch_alter_table('surveyresponse', schema=None) as batch_op:
        batch_op.create_index('ix_surveyresponse_asof', ['project_id', 'respondent', 'surveyed_on', 'rating'], unique=False)
        batch_op.create_index(batch_op.f('ix_surveyresponse_batch_id'), ['batch_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('surveyresponse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveyresponse_batch_id'))
        batch_op.drop_index('ix_surveyresponse_asof')

    op.drop_table('surveyresponse')
    with op.batch_alter_table('replacedrecord', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replacedrecord_batch_id'))

    op.drop_table('replacedrecord')
    with op.batch_alter_table('platformmaintenance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platformmaintenance_batch_id'))

    op.drop_table('platformmaintenance')
    with op.batch_alter_table('mediationsite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediationsite_batch_id'))

    op.drop_table('mediationsite')
    with op.batch_alter_table('mechanism', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mechanism_batch_id'))

    op.drop_table('mechanism')
    with op.batch_alter_table('manualvalue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_manualvalue_indicator_id'))

    op.drop_table('manualvalue')
    with op.batch_alter_table('legalevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legalevent_batch_id'))
        batch_op.drop_index('ix_legalevent_asof')

    op.drop_table('legalevent')
    with op.batch_alter_table('laborstat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_laborstat_batch_id'))

    op.drop_table('laborstat')
    op.drop_table('judgment')
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_batch_id'))
        batch_op.drop_index('ix_expense_asof')

    op.drop_table('expense')
    with op.batch_alter_table('equipmentissue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equipmentissue_batch_id'))
        batch_op.drop_index('ix_equipmentissue_asof')

    op.drop_table('equipmentissue')
    with op.batch_alter_table('correctiveaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correctiveaction_indicator_id'))

    op.drop_table('correctiveaction')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_batch_id'))
        batch_op.drop_index('ix_complaint_asof')

    op.drop_table('complaint')
    with op.batch_alter_table('casesubsidy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casesubsidy_batch_id'))
        batch_op.drop_index('ix_casesubsidy_asof')

    op.drop_table('casesubsidy')
    with op.batch_alter_table('uploadbatch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploadbatch_project_id'))
        batch_op.drop_index(batch_op.f('ix_uploadbatch_content_hash'))

    op.drop_table('uploadbatch')
    op.drop_table('periodlock')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_project_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('budgetline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budgetline_project_id'))

    op.drop_table('budgetline')
    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.drop_index('ix_auditlog_project')
        batch_op.drop_index(batch_op.f('ix_auditlog_at'))

    op.drop_table('auditlog')
    op.drop_table('user')
    op.drop_table('project')
