import { render } from 'preact';
import { OptionsPage } from '../../components/OptionsPage.tsx';
import '../../components/styles.css';

render(<OptionsPage />, document.getElementById('app')!);
