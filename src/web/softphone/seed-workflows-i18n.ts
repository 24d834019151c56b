import { translator } from '../shared/i18n';

/** Labels of the head's new-clients list, the manager's notifications and orders, and the regional order fields (issue 17 point 8). */
const en = {
  seedWork: 'Clients and orders', tabNewClients: 'New clients', tabNotifications: 'Notifications', tabClientOrders: 'My clients\' orders',
  newClientsNone: 'No new clients are waiting for a manager.', department: 'Department', calls: 'calls', chooseManager: 'Choose a manager…',
  assignManager: 'Assign', assignedTo: '{client} is now managed by {manager}.', managerFor: 'Manager for {client}',
  notificationsNone: 'Nothing new.', markRead: 'Mark read', unread: '{n} new',
  notice_client_assigned: 'New client {client} assigned to you by {actor}', notice_order_taken: 'Order from {client} taken by {actor}',
  ordersNone: 'No orders from your clients yet.', orderRef: 'Order', amount: 'Amount', takenBy: 'Taken by', client: 'Client',
  paymentForm: 'Payment form', deliveryDate: 'Delivery date', shippingDetails: 'Shipping details', regionalDetails: 'Regional order details (required with an order)',
  pay_bank_transfer: 'Bank transfer', pay_cash: 'Cash', pay_card: 'Card', pay_deferred: 'Deferred payment', choosePayment: 'Choose…',
  liveNotice: 'New: {text}',
};
type Key = keyof typeof en;
const ru: Record<Key, string> = {
  seedWork: 'Клиенты и заказы', tabNewClients: 'Новые клиенты', tabNotifications: 'Уведомления', tabClientOrders: 'Заказы моих клиентов',
  newClientsNone: 'Новых клиентов без менеджера нет.', department: 'Отдел', calls: 'звонков', chooseManager: 'Выберите менеджера…',
  assignManager: 'Назначить', assignedTo: 'Клиент {client} теперь у менеджера {manager}.', managerFor: 'Менеджер для {client}',
  notificationsNone: 'Ничего нового.', markRead: 'Прочитано', unread: 'новых: {n}',
  notice_client_assigned: 'Вам назначен новый клиент {client} ({actor})', notice_order_taken: 'Заказ от {client} принял(а) {actor}',
  ordersNone: 'Заказов от ваших клиентов пока нет.', orderRef: 'Заказ', amount: 'Сумма', takenBy: 'Принял', client: 'Клиент',
  paymentForm: 'Форма оплаты', deliveryDate: 'Дата поставки', shippingDetails: 'Отгрузка и доставка', regionalDetails: 'Данные регионального заказа (обязательны при заказе)',
  pay_bank_transfer: 'Безналичный расчёт', pay_cash: 'Наличные', pay_card: 'Карта', pay_deferred: 'Отсрочка платежа', choosePayment: 'Выберите…',
  liveNotice: 'Новое: {text}',
};

export const useSeedT = translator<Key>({ en, ru });
