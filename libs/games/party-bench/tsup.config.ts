import { libraryConfig } from '../../../tools/tsup/library-config';

export default libraryConfig({ index: 'src/index.ts' });
