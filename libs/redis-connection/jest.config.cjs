/** @type {import('jest').Config} */
module.exports = {
  displayName: 'redis-connection',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
