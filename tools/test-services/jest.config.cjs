/** @type {import('jest').Config} */
module.exports = {
  displayName: 'test-services',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
