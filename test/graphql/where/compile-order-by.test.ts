import { describe, expect, it } from 'vitest';
import { compileOrderBy, type FieldSpec, type FieldSpecs, WhereError } from '../../../src/graphql/where/index.js';

const fields: FieldSpecs = new Map<string, FieldSpec>([
  ['employeeId', { connectorField: 'EmployeeId', dataType: 'string' }],
  ['employerId', { connectorField: 'EmployerId', dataType: 'string' }],
  ['name', { connectorField: 'Name', dataType: 'string' }],
  ['salary', { connectorField: 'Salary', dataType: 'decimal' }],
  ['photo', { connectorField: 'Photo', dataType: 'blob', sortable: false }],
]);
const key = ['employeeId'];

function orderByError(fn: () => unknown): WhereError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WhereError) return e;
    throw e;
  }
  throw new Error('expected a WhereError');
}

describe('ordering', () => {
  it('sorts on the key alone when no orderBy is given, so pages are stable', () => {
    expect(compileOrderBy(undefined, fields, key)).toEqual([{ field: 'EmployeeId' }]);
    expect(compileOrderBy(null, fields, key)).toEqual([{ field: 'EmployeeId' }]);
    expect(compileOrderBy([], fields, key)).toEqual([{ field: 'EmployeeId' }]);
  });

  it('sorts ascending by default and descending on DESC, then on the key', () => {
    expect(
      compileOrderBy(
        [{ field: 'name' }, { field: 'salary', direction: 'DESC' }, { field: 'employerId', direction: 'ASC' }],
        fields,
        key,
      ),
    ).toEqual([
      { field: 'Name' },
      { field: 'Salary', descending: true },
      { field: 'EmployerId' },
      { field: 'EmployeeId' },
    ]);
  });

  it('does not append a key field already sorted on, and keeps its direction', () => {
    expect(compileOrderBy([{ field: 'employeeId', direction: 'DESC' }], fields, key)).toEqual([
      { field: 'EmployeeId', descending: true },
    ]);
  });

  it('appends every field of a composite key that is missing, in key order', () => {
    expect(compileOrderBy([{ field: 'employeeId' }], fields, ['employerId', 'employeeId'])).toEqual([
      { field: 'EmployeeId' },
      { field: 'EmployerId' },
    ]);
  });

  it('treats a null direction as ascending', () => {
    expect(compileOrderBy([{ field: 'name', direction: null }], fields, key)).toEqual([
      { field: 'Name' },
      { field: 'EmployeeId' },
    ]);
  });
});

describe('ordering errors', () => {
  it('refuses an unknown property at orderBy.i.field', () => {
    const error = orderByError(() => compileOrderBy([{ field: 'name' }, { field: 'nope' }], fields, key));
    expect(error.path).toEqual(['orderBy', 1, 'field']);
    expect(error.rule).toBe('unknown-field');
    expect(error.message).toBe("`orderBy.1.field`: 'nope' is not a field here");
  });

  it('refuses a property that is not sortable', () => {
    const error = orderByError(() => compileOrderBy([{ field: 'photo' }], fields, key));
    expect(error.rule).toBe('not-sortable');
    expect(error.path).toEqual(['orderBy', 0, 'field']);
  });

  it('refuses a direction other than ASC or DESC, showing it', () => {
    const error = orderByError(() => compileOrderBy([{ field: 'name', direction: 'desc' as 'DESC' }], fields, key));
    expect(error.rule).toBe('invalid-direction');
    expect(error.path).toEqual(['orderBy', 0, 'direction']);
    expect(error.message).toBe("`orderBy.0.direction` must be ASC or DESC, got 'desc'");
  });

  it('refuses the same field twice', () => {
    const error = orderByError(() =>
      compileOrderBy([{ field: 'name' }, { field: 'name', direction: 'DESC' }], fields, key),
    );
    expect(error.rule).toBe('duplicate-sort-field');
    expect(error.message).toContain('already sorted on at orderBy.0');
  });

  it('throws a TypeError for a key property missing from the specs: a programming error, not a user’s', () => {
    expect(() => compileOrderBy([], fields, ['id'])).toThrow(TypeError);
  });
});
