import { libraryConfig } from '../../tools/tsup/library-config';

export default libraryConfig({ index: 'src/index.ts', 'schemas/index': 'src/schemas/index.ts' });
