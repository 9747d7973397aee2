import type { CodegenConfig } from '@graphql-codegen/cli';

// Types every operation in src/ from the server's exported SDL.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown', Upload: 'File' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};
export default config;
