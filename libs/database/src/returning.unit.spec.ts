import { describe, expect, it } from '@jest/globals';
import { returnedRows } from './returning';

describe('returnedRows', () => {
  it('unwraps TypeORM’s [rows, affected] for UPDATE and DELETE, and passes rows through otherwise', () => {
    expect(returnedRows([[{ id: 1 }], 1])).toEqual([{ id: 1 }]);
    expect(returnedRows([[], 0])).toEqual([]);
    expect(returnedRows([{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
