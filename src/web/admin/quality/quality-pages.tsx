import type { AdminPage } from '../pages';
import { QualityEvaluatePage } from './quality-evaluate-page';
import { QualityFormsPage } from './quality-forms-page';
import { QualityReportsPage } from './quality-reports-page';
import './quality.css';

const QUALITY_REVIEWERS: AdminPage['roles'] = ['admin', 'supervisor', 'quality'];

/** Quality evaluation (issue 18 point 4): score recorded calls on weighted forms, and report on them. Open to the quality role too. */
export const QUALITY_PAGES: AdminPage[] = [
  { path: 'quality-evaluate', label: { en: 'Evaluate calls', ru: 'Оценка звонков' }, roles: QUALITY_REVIEWERS, component: QualityEvaluatePage },
  { path: 'quality-reports', label: { en: 'Quality results', ru: 'Итоги оценок' }, roles: QUALITY_REVIEWERS, component: QualityReportsPage },
  { path: 'quality-forms', label: { en: 'Evaluation forms', ru: 'Формы оценки' }, roles: QUALITY_REVIEWERS, component: QualityFormsPage },
];
