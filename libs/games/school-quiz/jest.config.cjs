/** @type {import('jest').Config} */
module.exports = {
  displayName: 'school-quiz',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
