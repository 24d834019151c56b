import type { AdminPage } from '../pages';
import { AbandonedPage } from './abandoned/abandoned-page';
import { CallLogPage } from './call-log/call-log-page';
import { CampaignsPage } from './campaigns/campaigns-page';
import { ReportsPage } from './reports/reports-page';
import { StaffingPage } from './staffing/staffing-page';
import { WallboardPage } from './wallboard/wallboard-page';
import { MonitoringSessionsPage } from './monitoring/monitoring-sessions-page';
import './supervisor.css';

const SUPERVISORS: AdminPage['roles'] = ['admin', 'supervisor'];
/** Those who monitor live calls (issue 18): the wallboard is where they pick one; the quality role only listens. */
const MONITORS: AdminPage['roles'] = ['admin', 'supervisor', 'quality'];

/** Wallboard, reports, call log, staffing planner, campaigns (admins and supervisors), monitoring sessions; the wallboard and monitoring also for the quality role. */
export const SUPERVISOR_PAGES: AdminPage[] = [
  { path: 'wallboard', label: { en: 'Live wallboard', ru: 'Табло' }, roles: MONITORS, component: WallboardPage },
  { path: 'reports', label: { en: 'Reports', ru: 'Отчёты' }, roles: SUPERVISORS, component: ReportsPage },
  { path: 'calls', label: { en: 'Call log', ru: 'Журнал звонков' }, roles: SUPERVISORS, component: CallLogPage },
  { path: 'abandoned', label: { en: 'Abandoned calls', ru: 'Пропущенные' }, roles: SUPERVISORS, component: AbandonedPage },
  { path: 'staffing', label: { en: 'Staffing planner', ru: 'Планирование' }, roles: SUPERVISORS, component: StaffingPage },
  { path: 'campaigns', label: { en: 'Campaigns', ru: 'Кампании' }, roles: SUPERVISORS, component: CampaignsPage },
  { path: 'monitoring', label: { en: 'Monitoring sessions', ru: 'Прослушивание' }, roles: MONITORS, component: MonitoringSessionsPage },
];
