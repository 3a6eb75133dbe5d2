/** @type {import('jest').Config} */
module.exports = {
  displayName: 'room-host',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
