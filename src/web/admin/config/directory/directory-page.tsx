import { navigate } from '../../../shared/hash-route';
import { translator } from '../../../shared/i18n';
import type { AdminPageProps } from '../../pages';
import { Tabs } from '../shared/form-controls';
import { ClientsTab } from './clients-tab';
import { DepartmentsTab } from './departments-tab';
import { LookupTab } from './lookup-tab';
import { QueuesTab } from './queues-tab';
import { StaffTab } from './staff-tab';

const useT = translator({
  en: {
    title: 'Directory', tabs: 'Directory sections', staff: 'Staff', departments: 'Departments', clients: 'Clients', queues: 'Queues', dispositions: 'Disposition codes',
    reasons: 'Not-ready reasons', types: 'Client types', addDisposition: 'New disposition code', addReason: 'New not-ready reason', addType: 'New client type',
  },
  ru: {
    title: 'Справочники', tabs: 'Разделы справочника', staff: 'Сотрудники', departments: 'Отделы', clients: 'Клиенты', queues: 'Очереди', dispositions: 'Итоги звонков',
    reasons: 'Причины «не готов»', types: 'Типы клиентов', addDisposition: 'Новый итог звонка', addReason: 'Новая причина', addType: 'Новый тип клиента',
  },
});

type Tab = 'staff' | 'departments' | 'clients' | 'queues' | 'dispositions' | 'reasons' | 'types';
const TABS: readonly Tab[] = ['staff', 'departments', 'clients', 'queues', 'dispositions', 'reasons', 'types'];

/** #/directory/<tab>/<id|new>: staff, departments, clients, queues and the code lists. */
export function DirectoryPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  const tab: Tab = TABS.includes(props.route.segments[1] as Tab) ? (props.route.segments[1] as Tab) : 'staff';
  const raw = props.route.segments[2];
  const selected: number | 'new' | null = raw === 'new' ? 'new' : raw && /^\d+$/.test(raw) ? Number(raw) : null;
  const select = (id: number | 'new' | null): void => navigate(`directory/${tab}${id === null ? '' : `/${id}`}`);
  return (
    <div class="stack config-page directory-page">
      <div class="row page-head"><h1 class="grow">{t('title')}</h1></div>
      <Tabs label={t('tabs')} tabs={TABS.map((key) => ({ key, label: t(key) }))} current={tab} onSelect={(k) => navigate(`directory/${k}`)} />
      {tab === 'staff' && <StaffTab selected={selected} onSelect={select} />}
      {tab === 'departments' && <DepartmentsTab selected={selected} onSelect={select} />}
      {tab === 'clients' && <ClientsTab selected={selected} onSelect={select} />}
      {tab === 'queues' && <QueuesTab selected={selected} onSelect={select} />}
      {tab === 'dispositions' && <LookupTab path="/api/disposition-codes" title={t('dispositions')} addTitle={t('addDisposition')} />}
      {tab === 'reasons' && <LookupTab path="/api/not-ready-reasons" title={t('reasons')} addTitle={t('addReason')} />}
      {tab === 'types' && <LookupTab path="/api/client-types" title={t('types')} addTitle={t('addType')} />}
    </div>
  );
}
