import type { DepartmentRecord } from '../../directory/directory-records';
import { ResourceRepository } from '../resource-repository';

export const departmentsRepository = new ResourceRepository<DepartmentRecord>({
  entity: 'department',
  table: 'departments',
  orderBy: 'name, id',
  fields: {
    id: { column: 'id', readOnly: true },
    code: { column: 'code' },
    name: { column: 'name' },
    headStaffId: { column: 'head_staff_id' },
    createdAt: { column: 'created_at', readOnly: true },
    updatedAt: { column: 'updated_at', readOnly: true },
  },
});
