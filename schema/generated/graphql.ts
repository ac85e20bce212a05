/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Conditions on one field; several are ANDed. */
export type BooleanFilter = {
  /** Equal (text: case-insensitively, as Profit compares). */
  eq?: boolean | null | undefined;
  /** Equal to any of these values (not empty). */
  in?: Array<boolean> | null | undefined;
  /** true: the value is empty (null); false: it is not. */
  isEmpty?: boolean | null | undefined;
  /** Not equal. */
  ne?: boolean | null | undefined;
};

/** Conditions on one field; several are ANDed. */
export type DateFilter = {
  /** Equal (text: case-insensitively, as Profit compares). */
  eq?: string | null | undefined;
  /** Greater than. */
  gt?: string | null | undefined;
  /** Greater than or equal. */
  gte?: string | null | undefined;
  /** Equal to any of these values (not empty). */
  in?: Array<string> | null | undefined;
  /** true: the value is empty (null); false: it is not. */
  isEmpty?: boolean | null | undefined;
  /** Less than. */
  lt?: string | null | undefined;
  /** Less than or equal. */
  lte?: string | null | undefined;
  /** Not equal. */
  ne?: string | null | undefined;
};

/** Conditions on one field; several are ANDed. */
export type DateTimeFilter = {
  /** Equal (text: case-insensitively, as Profit compares). */
  eq?: string | null | undefined;
  /** Greater than. */
  gt?: string | null | undefined;
  /** Greater than or equal. */
  gte?: string | null | undefined;
  /** Equal to any of these values (not empty). */
  in?: Array<string> | null | undefined;
  /** true: the value is empty (null); false: it is not. */
  isEmpty?: boolean | null | undefined;
  /** Less than. */
  lt?: string | null | undefined;
  /** Less than or equal. */
  lte?: string | null | undefined;
  /** Not equal. */
  ne?: string | null | undefined;
};

/** Conditions on one field; several are ANDed. */
export type DecimalFilter = {
  /** Equal (text: case-insensitively, as Profit compares). */
  eq?: string | null | undefined;
  /** Greater than. */
  gt?: string | null | undefined;
  /** Greater than or equal. */
  gte?: string | null | undefined;
  /** Equal to any of these values (not empty). */
  in?: Array<string> | null | undefined;
  /** true: the value is empty (null); false: it is not. */
  isEmpty?: boolean | null | undefined;
  /** Less than. */
  lt?: string | null | undefined;
  /** Less than or equal. */
  lte?: string | null | undefined;
  /** Not equal. */
  ne?: string | null | undefined;
};

/** Filters DossierItem rows: the fields given are ANDed; `and` / `or` combine nested filters. */
export type DossierItemWhere = {
  /** All of these hold. */
  and?: Array<DossierItemWhere> | null | undefined;
  date?: DateTimeFilter | null | undefined;
  dossierItemId?: IdFilter | null | undefined;
  employerLink?: BooleanFilter | null | undefined;
  feature1?: IntFilter | null | undefined;
  feature2?: IntFilter | null | undefined;
  feature3?: IntFilter | null | undefined;
  memo?: StringFilter | null | undefined;
  number?: IntFilter | null | undefined;
  /** At least one of these holds. */
  or?: Array<DossierItemWhere> | null | undefined;
  relationCode?: StringFilter | null | undefined;
  relationInternalId?: IntFilter | null | undefined;
  status?: StringFilter | null | undefined;
  subject?: StringFilter | null | undefined;
  typeId?: IntFilter | null | undefined;
};

/** One sort key of Employee rows; the key is always appended last. */
export type EmployeeOrderBy = {
  direction?: SortDirection | null | undefined;
  field: EmployeeOrderField;
};

export type EmployeeOrderField =
  | 'active'
  | 'blocked'
  | 'createdAt'
  | 'dateInService'
  | 'dateOutService'
  | 'department'
  | 'departmentId'
  | 'employeeId'
  | 'employerId'
  | 'employment'
  | 'function'
  | 'functionId'
  | 'hourlyRate'
  | 'hoursPerWeek'
  | 'iban'
  | 'mailWork'
  | 'modifiedAt'
  | 'name'
  | 'personId'
  | 'salary';

/** Filters Employee rows: the fields given are ANDed; `and` / `or` combine nested filters. */
export type EmployeeWhere = {
  active?: BooleanFilter | null | undefined;
  /** All of these hold. */
  and?: Array<EmployeeWhere> | null | undefined;
  blocked?: BooleanFilter | null | undefined;
  createdAt?: DateTimeFilter | null | undefined;
  dateInService?: DateFilter | null | undefined;
  dateOutService?: DateFilter | null | undefined;
  department?: StringFilter | null | undefined;
  departmentId?: StringFilter | null | undefined;
  employeeId?: IdFilter | null | undefined;
  employerId?: StringFilter | null | undefined;
  employment?: IntFilter | null | undefined;
  function?: StringFilter | null | undefined;
  functionId?: StringFilter | null | undefined;
  hourlyRate?: DecimalFilter | null | undefined;
  hoursPerWeek?: DecimalFilter | null | undefined;
  iban?: StringFilter | null | undefined;
  mailWork?: StringFilter | null | undefined;
  modifiedAt?: DateTimeFilter | null | undefined;
  name?: StringFilter | null | undefined;
  /** At least one of these holds. */
  or?: Array<EmployeeWhere> | null | undefined;
  personId?: StringFilter | null | undefined;
  salary?: DecimalFilter | null | undefined;
};

/** Conditions on one field; several are ANDed. */
export type IdFilter = {
  /** Equal (text: case-insensitively, as Profit compares). */
  eq?: string | number | null | undefined;
  /** Greater than. */
  gt?: string | number | null | undefined;
  /** Greater than or equal. */
  gte?: string | number | null | undefined;
  /** Equal to any of these values (not empty). */
  in?: Array<string | number> | null | undefined;
  /** Less than. */
  lt?: string | number | null | undefined;
  /** Less than or equal. */
  lte?: string | number | null | undefined;
  /** Not equal. */
  ne?: string | number | null | undefined;
};

/** Conditions on one field; several are ANDed. */
export type IntFilter = {
  /** Equal (text: case-insensitively, as Profit compares). */
  eq?: number | null | undefined;
  /** Greater than. */
  gt?: number | null | undefined;
  /** Greater than or equal. */
  gte?: number | null | undefined;
  /** Equal to any of these values (not empty). */
  in?: Array<number> | null | undefined;
  /** true: the value is empty (null); false: it is not. */
  isEmpty?: boolean | null | undefined;
  /** Less than. */
  lt?: number | null | undefined;
  /** Less than or equal. */
  lte?: number | null | undefined;
  /** Not equal. */
  ne?: number | null | undefined;
};

/** Filters Organisation rows: the fields given are ANDed; `and` / `or` combine nested filters. */
export type OrganisationWhere = {
  addressLine1?: StringFilter | null | undefined;
  addressLine3?: StringFilter | null | undefined;
  /** All of these hold. */
  and?: Array<OrganisationWhere> | null | undefined;
  blocked?: BooleanFilter | null | undefined;
  chamberOfCommerceNumber?: StringFilter | null | undefined;
  city?: StringFilter | null | undefined;
  country?: StringFilter | null | undefined;
  createdAt?: DateTimeFilter | null | undefined;
  employerId?: StringFilter | null | undefined;
  homepage?: StringFilter | null | undefined;
  houseNumber?: IntFilter | null | undefined;
  houseNumberAddition?: StringFilter | null | undefined;
  isEmployer?: BooleanFilter | null | undefined;
  legalForm?: StringFilter | null | undefined;
  mailWork?: StringFilter | null | undefined;
  modifiedAt?: DateTimeFilter | null | undefined;
  name?: StringFilter | null | undefined;
  note?: StringFilter | null | undefined;
  /** At least one of these holds. */
  or?: Array<OrganisationWhere> | null | undefined;
  organisationId?: IdFilter | null | undefined;
  phoneWork?: StringFilter | null | undefined;
  revenue?: DecimalFilter | null | undefined;
  searchName?: StringFilter | null | undefined;
  street?: StringFilter | null | undefined;
  zipCode?: StringFilter | null | undefined;
};

/** Ascending (default) or descending. */
export type SortDirection =
  | 'ASC'
  | 'DESC';

/** Conditions on one field; several are ANDed. */
export type StringFilter = {
  /** Contains the text. */
  contains?: string | null | undefined;
  /** Ends with the text. */
  endsWith?: string | null | undefined;
  /** Equal (text: case-insensitively, as Profit compares). */
  eq?: string | null | undefined;
  /** Greater than. */
  gt?: string | null | undefined;
  /** Greater than or equal. */
  gte?: string | null | undefined;
  /** Equal to any of these values (not empty). */
  in?: Array<string> | null | undefined;
  /** true: the value is empty (null); false: it is not. */
  isEmpty?: boolean | null | undefined;
  /** Less than. */
  lt?: string | null | undefined;
  /** Less than or equal. */
  lte?: string | null | undefined;
  /** Not equal. */
  ne?: string | null | undefined;
  /** Does not contain the text. */
  notContains?: string | null | undefined;
  /** Does not end with the text. */
  notEndsWith?: string | null | undefined;
  /** Does not start with the text. */
  notStartsWith?: string | null | undefined;
  /** Starts with the text. */
  startsWith?: string | null | undefined;
};

export type DossierItemsWithAttachmentsQueryVariables = Exact<{
  where?: DossierItemWhere | null | undefined;
  first?: number | null | undefined;
}>;


export type DossierItemsWithAttachmentsQuery = { dossierItems: { edges: Array<{ node: { dossierItemId: string, typeId: number | null, subject: string | null, date: string | null, status: string | null, relationCode: string | null, person: { personId: string, name: string | null } | null, organisation: { organisationId: string, name: string | null } | null, attachments: { edges: Array<{ node: { attachmentId: string, fileId: string | null, fileName: string | null, size: number | null, mimeType: string } }> } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type EmployeeByIdQueryVariables = Exact<{
  employeeId: string | number;
}>;


export type EmployeeByIdQuery = { employee: { employeeId: string, name: string | null, function: string | null, department: string | null, dateInService: string | null, dateOutService: string | null, hoursPerWeek: string | null, active: boolean | null, person: { personId: string, firstName: string | null, lastName: string | null, name: string | null, dateOfBirth: string | null, mailWork: string | null, city: string | null } | null, employer: { organisationId: string, employerId: string | null, name: string | null, city: string | null } | null } | null };

export type EmployeesPageQueryVariables = Exact<{
  where?: EmployeeWhere | null | undefined;
  orderBy?: Array<EmployeeOrderBy> | EmployeeOrderBy | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  leavesFirst?: number | null | undefined;
}>;


export type EmployeesPageQuery = { employees: { edges: Array<{ cursor: string, node: { employeeId: string, name: string | null, department: string | null, dateInService: string | null, active: boolean | null, leaves: { edges: Array<{ node: { leaveId: string, leaveType: string | null, hours: number | null, startDate: string | null, endDate: string | null } }>, pageInfo: { hasNextPage: boolean } } | null, person: { personId: string, name: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type EmployeeSummaryFragment = { employeeId: string, name: string | null, department: string | null, dateInService: string | null, active: boolean | null, person: { personId: string, name: string | null } | null };

export type OrganisationsOverviewQueryVariables = Exact<{
  where?: OrganisationWhere | null | undefined;
  first?: number | null | undefined;
  employeesFirst?: number | null | undefined;
  projectsFirst?: number | null | undefined;
}>;


export type OrganisationsOverviewQuery = { organisations: { edges: Array<{ node: { organisationId: string, name: string | null, city: string | null, isEmployer: boolean | null, employerId: string | null, employees: { edges: Array<{ node: { employeeId: string, name: string | null, function: string | null } }>, pageInfo: { hasNextPage: boolean } } | null, projects: { edges: Array<{ node: { projectId: string, description: string | null, completed: boolean | null, dateStart: string | null } }> } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export const EmployeeSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EmployeeSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Employee"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"employeeId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"department"}},{"kind":"Field","name":{"kind":"Name","value":"dateInService"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"personId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<EmployeeSummaryFragment, unknown>;
export const DossierItemsWithAttachmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DossierItemsWithAttachments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DossierItemWhere"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dossierItems"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"date"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dossierItemId"}},{"kind":"Field","name":{"kind":"Name","value":"typeId"}},{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"relationCode"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"personId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"organisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisationId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"attachments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attachmentId"}},{"kind":"Field","name":{"kind":"Name","value":"fileId"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<DossierItemsWithAttachmentsQuery, DossierItemsWithAttachmentsQueryVariables>;
export const EmployeeByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EmployeeById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"employeeId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"employee"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"employeeId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"employeeId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"employeeId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"function"}},{"kind":"Field","name":{"kind":"Name","value":"department"}},{"kind":"Field","name":{"kind":"Name","value":"dateInService"}},{"kind":"Field","name":{"kind":"Name","value":"dateOutService"}},{"kind":"Field","name":{"kind":"Name","value":"hoursPerWeek"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"personId"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"dateOfBirth"}},{"kind":"Field","name":{"kind":"Name","value":"mailWork"}},{"kind":"Field","name":{"kind":"Name","value":"city"}}]}},{"kind":"Field","name":{"kind":"Name","value":"employer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisationId"}},{"kind":"Field","name":{"kind":"Name","value":"employerId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"city"}}]}}]}}]}}]} as unknown as DocumentNode<EmployeeByIdQuery, EmployeeByIdQueryVariables>;
export const EmployeesPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EmployeesPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EmployeeWhere"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EmployeeOrderBy"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"leavesFirst"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"employees"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EmployeeSummary"}},{"kind":"Field","name":{"kind":"Name","value":"leaves"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"leavesFirst"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"startDate"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leaveId"}},{"kind":"Field","name":{"kind":"Name","value":"leaveType"}},{"kind":"Field","name":{"kind":"Name","value":"hours"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EmployeeSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Employee"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"employeeId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"department"}},{"kind":"Field","name":{"kind":"Name","value":"dateInService"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"personId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<EmployeesPageQuery, EmployeesPageQueryVariables>;
export const OrganisationsOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrganisationsOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrganisationWhere"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"employeesFirst"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"5"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"projectsFirst"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"name"}}]}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisationId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"isEmployer"}},{"kind":"Field","name":{"kind":"Name","value":"employerId"}},{"kind":"Field","name":{"kind":"Name","value":"employees"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"employeesFirst"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"employeeId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"function"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"projects"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"projectsFirst"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"dateStart"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"projectId"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"dateStart"}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<OrganisationsOverviewQuery, OrganisationsOverviewQueryVariables>;