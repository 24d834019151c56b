import type { AdminPage } from '../pages';
import './config.css';
import { AuditPage } from './audit/audit-page';
import { DirectoryPage } from './directory/directory-page';
import { IvrEditorPage } from './ivr/ivr-editor-page';
import { RoutingEditorPage } from './routing/routing-editor-page';
import { OutboundCallingPage } from './outbound/outbound-calling-page';

/** IVR editor, routing editor, directory, audit log (admins). */
export const CONFIG_PAGES: AdminPage[] = [
  { path: 'ivr', label: { en: 'IVR editor', ru: 'Редактор IVR' }, roles: ['admin'], component: IvrEditorPage },
  { path: 'routing', label: { en: 'Routing editor', ru: 'Маршрутизация' }, roles: ['admin'], component: RoutingEditorPage },
  { path: 'directory', label: { en: 'Directory', ru: 'Справочники' }, roles: ['admin'], component: DirectoryPage },
  { path: 'outbound', label: { en: 'Outbound calling', ru: 'Исходящие звонки' }, roles: ['admin', 'supervisor'], component: OutboundCallingPage },
  { path: 'audit', label: { en: 'Audit log', ru: 'Журнал изменений' }, roles: ['admin'], component: AuditPage },
];
