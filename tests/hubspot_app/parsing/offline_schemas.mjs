// Stands in for the parsing library's getIntermediateRepresentationSchema: a schema for every
// component type the library knows, each accepting any config. A type it does not know still
// fails as "unsupported". Internal names as in its mapToInternalType (src/lib/transform.js).
import { Components, USER_FACING_TO_INTERNAL_TYPE } from '@hubspot/project-parsing-lib/constants';

const internalType = type =>
  (USER_FACING_TO_INTERNAL_TYPE[type] || type).toUpperCase().replace(/-/g, '_');

export async function getIntermediateRepresentationSchema() {
  return Object.fromEntries(Object.keys(Components).map(type => [internalType(type), true]));
}
